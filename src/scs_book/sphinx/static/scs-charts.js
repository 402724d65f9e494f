/* Draws every chart of a book page with the Vega libraries the book serves itself, and wires
   the tools under it: PNG and SVG downloads (Vega's own export), the chart's rows as CSV, a
   data-table view, and the figure's full address in its "cite this figure" line. Each figure
   carries its spec and rows as JSON (<script type="application/json" class="scs-chart-bundle">),
   written by the book's Sphinx extension (scs_book.sphinx.charts).

   The libraries (Vega and Vega-Embed, about 200 KB compressed) are loaded when the reader
   comes within a screen of a chart, so the page's text is never held up by them, and with
   them the data files the page's charts read (fetched once, shared by the charts); then every
   chart of the page is drawn, the one in reach first, the others as the browser has time. */
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

  // The rows of the Vega spec's inline datasets, as lists of the table's fields: the same rows
  // as scs_book.chart_output.table_rows (the page carries only the fields when they agree).
  const tableRows = (spec, fields) => {
    const seen = new Set();
    const rows = [];
    for (const {values} of spec.data || []) {
      if (!Array.isArray(values)) continue;
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

  // An exported picture carries the figure's footer (source, note, licence) and its citation
  // under the chart, as a picture shared on its own must: the licence asks for attribution.
  const FOOTER_SIZE = 12;
  const FOOTER_LINE = 16;
  const footerText = (figure) =>
    [...figure.querySelectorAll("figcaption.scs-chart-footer p, p.scs-chart-cite")]
      .map((part) => part.textContent.replace(/\s+/g, " ").replace(/\s*·\s*Full provenance/, "")
        .trim())
      .filter(Boolean);

  // The footer's lines wrapped to the picture's width, and where they start (the chart's own
  // padding, so that they line up with its title).
  const footerLines = (figure, spec, width, scale) => {
    const config = spec.config || {};
    const left = (typeof config.padding === "number" ? config.padding : 5) * scale;
    const context = document.createElement("canvas").getContext("2d");
    const font = `${FOOTER_SIZE * scale}px ${config.font || "sans-serif"}`;
    context.font = font;
    const room = width - 2 * left;
    const lines = footerText(figure).flatMap((part) => scsWrapText(context, part, room));
    return {font, left, lines};
  };

  const pngWithFooter = async (view, bundle, figure) => {
    const scale = 2;
    const chart = await view.toCanvas(scale);
    const {font, left, lines} = footerLines(figure, bundle.spec, chart.width, scale);
    const canvas = document.createElement("canvas");
    canvas.width = chart.width;
    canvas.height = chart.height + (lines.length * FOOTER_LINE + FOOTER_SIZE) * scale;
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(chart, 0, 0);
    context.fillStyle = "#333333";
    context.font = font;
    context.textBaseline = "top";
    lines.forEach((line, index) => context.fillText(line, left,
      chart.height + (FOOTER_SIZE / 2 + index * FOOTER_LINE) * scale));
    return canvas.toDataURL("image/png");
  };

  const svgWithFooter = async (view, bundle, figure) => {
    const drawn = await view.toSVG();
    const svg = new DOMParser().parseFromString(drawn, "image/svg+xml").documentElement;
    const width = Number(svg.getAttribute("width"));
    const height = Number(svg.getAttribute("height"));
    const {font, left, lines} = footerLines(figure, bundle.spec, width, 1);
    const total = height + lines.length * FOOTER_LINE + FOOTER_SIZE;
    svg.setAttribute("height", total);
    svg.setAttribute("viewBox", `0 0 ${width} ${total}`);
    lines.forEach((line, index) => {
      const text = document.createElementNS("http://www.w3.org/2000/svg", "text");
      text.setAttribute("x", left);
      text.setAttribute("y", height + FOOTER_SIZE + index * FOOTER_LINE);
      text.setAttribute("style", `font: ${font}; fill: #333333`);
      text.textContent = line;
      svg.appendChild(text);
    });
    const blob = new Blob([new XMLSerializer().serializeToString(svg)], {type: "image/svg+xml"});
    return URL.createObjectURL(blob);
  };

  const exporters = {
    png: async (view, bundle, figure) =>
      save(await pngWithFooter(view, bundle, figure), `${bundle.filename}.png`),
    svg: async (view, bundle, figure) =>
      save(await svgWithFooter(view, bundle, figure), `${bundle.filename}.svg`),
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
        exporters[button.dataset.scsExport](view, bundle, figure)
          .catch((error) => console.error(error)));
    }
  };

  // Vega shows a tooltip on pointermove, which a tap does not send: a tap (touch or pen) is
  // passed on to the chart as one, so that a phone reader reaches every value too. After the
  // tap the browser sends the mouse events it stands for, whose "mouseout" (from where the last
  // tap was) makes Vega hide the tooltip again: so the tap is passed on once more at its click,
  // the last of them.
  const tooltipsOnTap = (element) => {
    let tap = null;
    const passOn = (event) => event.target.dispatchEvent(new PointerEvent("pointermove", event));
    element.addEventListener("pointerdown", (event) => {
      tap = event.pointerType === "mouse" ? null : event;
      if (tap) passOn(tap);
    });
    element.addEventListener("pointercancel", () => { tap = null; });  // a swipe, not a tap
    element.addEventListener("click", () => {
      if (tap) passOn(tap);
      tap = null;
    });
  };

  // vega-tooltip puts the tooltip beside the pointer, on whichever side it fits; on a phone a
  // wide tooltip fits on neither and went off the screen's edge. Once Vega has placed it (its
  // own pointermove listeners run first), a tooltip not wholly in the window is moved inside it:
  // across, as little as needed; up or down, below the pointer or above it, where it fits, so
  // that it does not hide what was tapped. scs-book.css keeps it narrower than the window.
  // (Vega's tooltip handler can only be replaced by drawing the chart again.)
  const TOOLTIP_MARGIN = 8;
  const shownTooltip = () => {
    const tooltip = document.getElementById("vg-tooltip-element");
    return tooltip && tooltip.classList.contains("visible") ? tooltip : null;
  };
  // The tooltip is fixed to the window: once the page scrolls it no longer sits by its mark (a
  // tap leaves it shown), so it is put away; the next pointer move or tap shows it again.
  window.addEventListener("scroll", () => shownTooltip()?.classList.remove("visible"),
    {passive: true});
  const keepTooltipsOnScreen = (element) => {
    element.addEventListener("pointermove", (event) => {
      const tooltip = shownTooltip();
      if (!tooltip) return;
      const box = tooltip.getBoundingClientRect();
      const [width, height] = [window.innerWidth, window.innerHeight];
      if (box.left >= 0 && box.top >= 0 && box.right <= width && box.bottom <= height) return;
      const within = (start, size, room) =>
        Math.max(TOOLTIP_MARGIN, Math.min(start, room - size - TOOLTIP_MARGIN));
      const below = event.clientY + TOOLTIP_MARGIN;
      const above = event.clientY - TOOLTIP_MARGIN - box.height;
      const top = box.top >= 0 && box.bottom <= height ? box.top
        : below + box.height <= height ? below
        : above >= 0 ? above : within(box.top, box.height, height);
      tooltip.style.left = `${within(box.left, box.width, width)}px`;
      tooltip.style.top = `${top}px`;
    });
  };

  // The page writes table-like datasets with their keys once (scs_book.sphinx.charts.
  // packed_datasets): rebuilt here, row for row, before Vega sees the spec.
  const unpack = (bundle) => {
    for (const [name, {keys, rows}] of Object.entries(bundle.packed || {})) {
      bundle.spec.data.find((entry) => entry.name === name).values =
        rows.map((row) => Object.fromEntries(keys.map((key, i) => [key, row[i]])));
    }
  };

  // Beside this file: _static/scs-charts.js and _static/scs-vendor/. (The specs come compiled
  // to Vega by the build: no Vega-Lite is needed here.)
  const VENDOR = ["vega.min.js", "vega-embed.min.js"].map(
    (name) => new URL(`scs-vendor/${name}`, document.currentScript.src).href);
  let libraries = null;

  // The libraries, fetched together and run in order (async = false); once per page.
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

  // The data files the charts read by address (the maps' TopoJSON): each fetched once per
  // page, as soon as a chart comes near (beside the libraries, not after them), and the same
  // text handed to every chart that reads it, through a Vega loader of the page's own.
  const dataFiles = new Map();
  const fetchOnce = (address) => {
    if (!dataFiles.has(address)) {
      dataFiles.set(address, fetch(address).then((response) => response.ok
        ? response.text()
        : Promise.reject(new Error(`${address}: ${response.status} ${response.statusText}`))));
    }
    return dataFiles.get(address);
  };
  const dataAddresses = (spec) =>
    (spec.data || []).map((entry) => entry.url).filter((url) => typeof url === "string");
  let pageLoader = null;
  const sharedLoader = () => {
    if (!pageLoader) {
      pageLoader = vega.loader();
      const http = pageLoader.http.bind(pageLoader);
      // Vega asks for text unless told otherwise (sanitize leaves a relative address as it is).
      pageLoader.http = (address, options) =>
        options && options.response && options.response !== "text"
          ? http(address, options)
          : fetchOnce(address);
    }
    return pageLoader;
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
    return {figure, element, bundle, dataAddresses: dataAddresses(bundle.spec), drawn: false};
  };

  const draw = (chart) => {
    if (chart.drawn) return Promise.resolve();
    chart.drawn = true;
    const libraries = loadLibraries();
    charts.forEach((each) => each.dataAddresses.forEach(fetchOnce));
    return libraries
      .then(() => {
        scsFitTitle(chart.bundle.spec, chart.element.clientWidth);  // chart_title.js
        return vegaEmbed(chart.element, chart.bundle.spec,
          {mode: "vega", renderer: "svg", actions: false, loader: sharedLoader()});
      })
      .then((result) => {
        tooltipsOnTap(chart.element);
        keepTooltipsOnScreen(chart.element);
        wire(chart.figure, chart.bundle, result.view);
      })
      .catch((error) => {
        chart.element.textContent = `This chart could not be drawn (${error.message}); ` +
          "its data is in the table below.";
        console.error(error);
      });
  };

  // The charts not yet drawn, one at a time, each when the browser is idle (within 0.2 s).
  const drawTheRest = (charts) => {
    const next = charts.find((chart) => !chart.drawn);
    if (!next) return;
    const later = window.requestIdleCallback || ((callback) => setTimeout(callback, 50));
    later(() => draw(next).then(() => drawTheRest(charts)), {timeout: 200});
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
