/* The book's page behaviour for readers (no dependencies, loaded deferred on every page).

   1. The sidebar toggles. On a phone, pydata-sphinx-theme's script binds them (item 4 loads
      it after the first paint; sphinx-book-theme's own, loaded earlier, collapses the sidebar on
      wide screens). A tap made before that script has run is held and made again once it has.
   2. A table wider than the column scrolls inside its frame; the frame is marked
      "scs-scrolls" (a hint above it, a fade at the edge with more columns) so the reader
      knows, and "scs-scrolled-to-end" once the last column is in view.
   3. Stylesheets kept off the first paint's path (the Chinese font's slices, linked for print
      only) are turned on once the page has loaded: each link marked
      data-scs-media-after-load takes that media.
   4. The theme's scripts (Bootstrap and pydata-sphinx-theme's), which the page holds in a
      <template class="scs-after-first-paint">, are loaded, in order, once the page has first
      painted its content (or at its load event, in a browser that reports no paint, or in a
      tab still hidden then), so that they never hold up that paint. */
(function () {
  let themeScriptsRan;
  const themeScriptsHaveRun = new Promise((resolve) => {
    themeScriptsRan = resolve;
  });

  // A tap on a toggle before the theme's script has bound it is held, and made again once the
  // script has run (once only: a reader who tapped twice while waiting wants the drawer open).
  function replayEarlyTaps(button) {
    let ran = false;
    let waiting = false;
    themeScriptsHaveRun.then(() => {
      ran = true;
    });
    button.addEventListener("click", (event) => {
      if (ran) {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      if (!waiting) {
        waiting = true;
        themeScriptsHaveRun.then(() => button.click());
      }
    });
  }

  const FRAMES = ".bd-article .output.text_html, .bd-article .pst-scrollable-table-container";

  // Measured first, all frames, then marked: a mark changes the page's style, and measuring
  // after it would make the browser lay the whole page out again, once per table.
  function measure(frame) {
    return {
      frame,
      scrolls: frame.scrollWidth > frame.clientWidth + 1,
      atEnd: frame.scrollLeft + frame.clientWidth >= frame.scrollWidth - 1,
    };
  }

  function mark({ frame, scrolls, atEnd }) {
    frame.classList.toggle("scs-scrolls", scrolls);
    frame.classList.toggle("scs-scrolled-to-end", atEnd);
    if (scrolls && !frame.hasAttribute("tabindex")) {
      frame.tabIndex = 0; // keyboard users can scroll it too
    }
  }

  function watchTableFrames() {
    const frames = [...document.querySelectorAll(FRAMES)].filter((f) => f.querySelector("table"));
    const markAll = () => frames.map(measure).forEach(mark);
    frames.forEach((frame) => {
      frame.addEventListener("scroll", () => mark(measure(frame)), { passive: true });
    });
    window.addEventListener("resize", markAll);
    markAll();
  }

  function applyStylesheetsKeptForLoad() {
    for (const link of document.querySelectorAll("link[data-scs-media-after-load]")) {
      link.media = link.dataset.scsMediaAfterLoad;
    }
  }

  function loadScriptsKeptForFirstPaint() {
    let last = null;
    for (const template of document.querySelectorAll("template.scs-after-first-paint")) {
      for (const kept of template.content.querySelectorAll("script")) {
        last = document.createElement("script");
        for (const { name, value } of kept.attributes) {
          last.setAttribute(name, value);
        }
        last.async = false; // run in order: the theme's script uses Bootstrap's
        template.before(last);
      }
      template.remove();
    }
    if (last) {
      last.addEventListener("load", themeScriptsRan); // fired once it has run
    } else {
      themeScriptsRan();
    }
  }

  // Once the page has painted its first content. Without paint timing, at the load event; a
  // page still hidden then (a background tab) may report no paint until it is shown, and gets
  // the call at load too. The load event alone comes too early: on a fast connection a page can
  // load before it first paints.
  function afterFirstContentfulPaint(callback) {
    let called = false;
    const once = () => {
      if (!called) {
        called = true;
        callback();
      }
    };
    const atLoad = (call) => {
      if (document.readyState === "complete") {
        call();
      } else {
        window.addEventListener("load", call);
      }
    };
    if (!window.PerformanceObserver?.supportedEntryTypes?.includes("paint")) {
      atLoad(once);
      return;
    }
    new PerformanceObserver((entries, observer) => {
      if (entries.getEntriesByName("first-contentful-paint").length) {
        observer.disconnect();
        once();
      }
    }).observe({ type: "paint", buffered: true });
    atLoad(() => {
      if (document.visibilityState === "hidden") {
        once();
      }
    });
  }

  function start() {
    document.querySelectorAll(".primary-toggle, .secondary-toggle").forEach(replayEarlyTaps);
    watchTableFrames();
  }
  afterFirstContentfulPaint(loadScriptsKeptForFirstPaint);
  // Tables are measured after the other deferred scripts (the toggles', the charts') have
  // changed the page; the kept stylesheets are turned on once it has loaded.
  if (document.readyState === "complete") {
    start();
    applyStylesheetsKeptForLoad();
  } else {
    document.addEventListener("DOMContentLoaded", start);
    window.addEventListener("load", applyStylesheetsKeptForLoad);
  }
})();
