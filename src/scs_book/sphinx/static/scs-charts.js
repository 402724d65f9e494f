/* Draws every chart of a book page with the Vega libraries the book serves itself, and wires
   the tools under it: PNG and SVG downloads (Vega's own export), the chart's rows as CSV, a
   data-table view, and the figure's full address in its "cite this figure" line. Each figure
   carries its spec and rows as JSON (<script type="application/json" class="scs-chart-bundle">),
   written by the book's Sphinx extension (scs_book.sphinx.charts).

   The libraries (about 280 KB compressed) are loaded when the reader comes within a screen of
   a chart, so the page's text is never held up by them; then every chart of the page is drawn,
   the one in reach first, the others as the browser has time. */
(() => {
  "use strict";

  const save = (url, filename) => {
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
  };

  const csvCell = (value) => {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };

  // The rows of the spec's inline datasets, as lists of the table's fields: the same rows as
  // scs_book.chart_output.table_rows (the page carries only the fields when they agree).
  const tableRows = (spec, fields) => {
    const seen = new Set();
    const rows = [];
    for (const values of Object.values(spec.datasets || {})) {
      for (const row of values) {
        if (!row || typeof row !== "object") continue;
        const record = {...(row.properties || {}), ...row};
        if (!fields.some((field) => field in record)) continue;
        const line = fields.map((field) =>
          record[field] === null || record[field] === undefined ? "" : record[field]);
        const key = JSON.stringify(line);
        if (!seen.has(key)) {
          seen.add(key);
          rows.push(line);
        }
      }
    }
    return rows;
  };

  const tableCsv = (table) =>
    [table.columns, ...table.rows].map((row) => row.map(csvCell).join(",")).join("\n") + "\n";

  const exporters = {
    png: async (view, bundle) => save(await view.toImageURL("png", 2), `${bundle.filename}.png`),
    svg: async (view, bundle) => save(await view.toImageURL("svg"), `${bundle.filename}.svg`),
    csv: async (view, bundle) => {
      const blob = new Blob([tableCsv(bundle.table)], {type: "text/csv;charset=utf-8"});
      const url = URL.createObjectURL(blob);
      save(url, `${bundle.filename}.csv`);
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
  };

  const fillTable = (frame, table) => {
    const element = document.createElement("table");
    const head = element.createTHead().insertRow();
    for (const column of table.columns) {
      const cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = column;
      head.appendChild(cell);
    }
    const body = element.createTBody();
    for (const row of table.rows) {
      const line = body.insertRow();
      for (const value of row) {
        line.insertCell().textContent = value === null ? "" : String(value);
      }
    }
    frame.replaceChildren(element);
  };

  const wire = (figure, bundle, view) => {
    for (const button of figure.querySelectorAll("button[data-scs-export]")) {
      button.disabled = false;
      button.addEventListener("click", () =>
        exporters[button.dataset.scsExport](view, bundle).catch((error) => console.error(error)));
    }
  };

  // Vega shows a tooltip on pointermove, which a tap does not send: a tap (touch or pen) is
  // passed on to the chart as one, so that a phone reader reaches every value too.
  const tooltipsOnTap = (element) => {
    element.addEventListener("pointerdown", (event) => {
      if (event.pointerType !== "mouse") {
        event.target.dispatchEvent(new PointerEvent("pointermove", event));
      }
    });
  };

  // The page writes table-like datasets with their keys once (scs_book.sphinx.charts.
  // packed_datasets): rebuilt here, row for row, before Vega sees the spec.
  const unpack = (bundle) => {
    for (const [name, {keys, rows}] of Object.entries(bundle.packed || {})) {
      bundle.spec.datasets[name] =
        rows.map((row) => Object.fromEntries(keys.map((key, i) => [key, row[i]])));
    }
  };

  // Beside this file: _static/scs-charts.js and _static/scs-vendor/.
  const VENDOR = ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"].map(
    (name) => new URL(`scs-vendor/${name}`, document.currentScript.src).href);
  let libraries = null;

  // The three libraries, fetched together and run in order (async = false); once per page.
  const loadLibraries = () => {
    libraries = libraries || new Promise((resolve, reject) => {
      for (const source of VENDOR) {
        const script = document.createElement("script");
        script.src = source;
        script.async = false;
        script.onerror = () => reject(new Error(`${source} could not be loaded`));
        if (source === VENDOR[VENDOR.length - 1]) script.onload = resolve;
        document.head.appendChild(script);
      }
    });
    return libraries;
  };

  // The figure's address, to cite: the full one where the book is published; where it is read
  // from this machine (a local server, a file, the build's PDFs) that address would mean
  // nothing to anyone else, so the figure's place in the book is given instead.
  const LOCAL = ["localhost", "127.0.0.1", "[::1]", ""];
  const citableAddress = (link) => {
    const address = new URL(link.getAttribute("href"), window.location.href);
    if (LOCAL.includes(address.hostname)) {
      const root = new URL(document.documentElement.dataset.content_root || "./", address);
      return address.href.slice(root.href.length);
    }
    link.href = address.href;
    return address.href;
  };

  const prepare = (figure) => {
    const script = figure.querySelector("script.scs-chart-bundle");
    const element = figure.querySelector(".scs-chart-view");
    if (!script || !element) return null;
    const bundle = JSON.parse(script.textContent);
    unpack(bundle);
    bundle.table.rows = bundle.table.rows || tableRows(bundle.spec, bundle.table.fields);
    const details = figure.querySelector("details.scs-chart-table");
    if (details) {
      details.addEventListener("toggle", () => {
        const frame = details.querySelector(".scs-chart-table-frame");
        if (details.open && !frame.firstChild) fillTable(frame, bundle.table);
      });
    }
    const cite = figure.querySelector("a.scs-chart-cite-url");
    if (cite) cite.textContent = citableAddress(cite);
    return {figure, element, bundle, drawn: false};
  };

  const draw = (chart) => {
    if (chart.drawn) return Promise.resolve();
    chart.drawn = true;
    return loadLibraries()
      .then(() => {
        scsFitTitle(chart.bundle.spec, chart.element.clientWidth);  // chart_title.js
        return vegaEmbed(chart.element, chart.bundle.spec, {renderer: "svg", actions: false});
      })
      .then((result) => {
        tooltipsOnTap(chart.element);
        wire(chart.figure, chart.bundle, result.view);
      })
      .catch((error) => {
        chart.element.textContent = `This chart could not be drawn (${error.message}); ` +
          "its data is in the table below.";
        console.error(error);
      });
  };

  // The charts not yet drawn, one at a time when the browser is idle.
  const drawTheRest = (charts) => {
    const next = charts.find((chart) => !chart.drawn);
    if (!next) return;
    const later = window.requestIdleCallback || ((callback) => setTimeout(callback, 50));
    later(() => draw(next).then(() => drawTheRest(charts)));
  };

  const charts = [...document.querySelectorAll("figure.scs-chart")].map(prepare).filter(Boolean);
  if (!("IntersectionObserver" in window)) {
    charts.forEach(draw);
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const chart = charts.find((candidate) => candidate.figure === entry.target);
      observer.unobserve(entry.target);
      draw(chart).then(() => drawTheRest(charts));
    }
  }, {rootMargin: "100% 0px"});
  charts.forEach((chart) => observer.observe(chart.figure));
})();
