/* Draws a chart of the book inside a Jupyter session (JupyterLab, Notebook 7, Binder) with the
   book's own pinned Vega, served by the Jupyter server itself from the project's node_modules/
   (its /files/ endpoint, under the server's base URL). Never a CDN: if the files are not there,
   the chart says so. The spec is read from the JSON script beside the chart's element. */
(function (chartId) {
  var LIBRARIES = ["vega/build/vega.min.js", "vega-lite/build/vega-lite.min.js",
                   "vega-embed/build/vega-embed.min.js"];
  function serverPaths() {
    var baseUrl = "/";
    var config = document.getElementById("jupyter-config-data");
    if (config) {
      try { baseUrl = JSON.parse(config.textContent).baseUrl || "/"; } catch (error) { /* default */ }
    }
    var path = decodeURIComponent(window.location.pathname);
    path = path.indexOf(baseUrl) === 0 ? path.slice(baseUrl.length) : path.replace(/^\//, "");
    var match = path.match(/^(?:(?:lab|doc)(?:\/workspaces\/[^/]+)?\/tree|notebooks|edit)\/(.*)$/);
    var folders = match ? match[1].split("/").slice(0, -1) : [];
    var encode = function (parts) {
      return parts.map(encodeURIComponent).map(function (p) { return p + "/"; }).join("");
    };
    // The notebooks sit one level below the project's root (node_modules/, data/).
    return {files: baseUrl + "files/", notebook: encode(folders),
            roots: [encode(folders.slice(0, -1)), ""].filter(function (r, i, all) {
              return all.indexOf(r) === i; })};
  }
  function load(source) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = source;
      script.onload = resolve;
      script.onerror = function () { script.remove(); reject(new Error(source)); };
      document.head.appendChild(script);
    });
  }
  function loadFrom(root) {
    return LIBRARIES.reduce(function (previous, library) {
      return previous.then(function () { return load(root + "node_modules/" + library); });
    }, Promise.resolve()).then(function () { return root; });
  }
  // Resolves with the folder (under /files/) where the project's node_modules/ was found.
  function vegaReady(paths) {
    if (!window.scsBookVega) {
      window.scsBookVega = paths.roots.reduce(function (attempt, root) {
        return attempt.catch(function () { return loadFrom(paths.files + root); });
      }, Promise.reject(new Error("not loaded")));
    }
    return window.scsBookVega;
  }
  var paths = serverPaths();
  var elements = document.querySelectorAll('[id="' + chartId + '"]:not([data-drawn])');
  Array.prototype.forEach.call(elements, function (element) {
    element.setAttribute("data-drawn", "");
    var bundle = element.closest("figure").querySelector("script.scs-chart-bundle");
    var spec = JSON.parse(bundle.textContent).spec;
    vegaReady(paths).then(function (root) {
      // The spec's data paths are relative to the notebook, one folder below the root.
      var folder = paths.notebook ? paths.files + paths.notebook : root + "notebooks/";
      scsFitTitle(spec, element.clientWidth);  // chart_title.js, in the same script
      return window.vegaEmbed(element, spec, {renderer: "svg", actions: false,
        loader: {baseURL: folder}});
    }).catch(function () {
      element.textContent = "This chart is drawn with the book's own copy of Vega, which the " +
        "Jupyter server did not serve (looked for node_modules/ in the project's folder). " +
        "Run `npm ci` in the project's folder, or read the chart in the built book. " +
        "The book never loads Vega from the internet.";
    });
  });
})
