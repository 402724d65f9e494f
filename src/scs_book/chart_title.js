/* Wraps a chart's title and subtitle to the width the chart is drawn at, measured in their own
   font. Titles come wrapped for a 390 px phone (scs_book.figures.style.wrapped_title); here a
   wide screen gets fewer lines, and a narrower phone no text cut off at the chart's edge.
   Used before drawing by the book's pages (scs-charts.js, which also wraps the footer lines of
   an exported picture with scsWrapText) and by a chart's Jupyter fallback
   (figures/jupyter_loader.js), so both draw the same picture at the same width. */

/* Lines of `text` (a string or a list of lines, joined) no wider than `width` in the font
   already set on the canvas `context`. */
function scsWrapText(context, text, width) {
  "use strict";
  var words = [].concat(text).join(" ").split(/\s+/).filter(Boolean);
  var wrapped = [];
  var line = "";
  words.forEach(function (word) {
    var longer = line ? line + " " + word : word;
    if (line && context.measureText(longer).width > width) {
      wrapped.push(line);
      line = word;
    } else {
      line = longer;
    }
  });
  return line ? wrapped.concat([line]) : wrapped;
}

/* The spec is Vega-Lite (the Jupyter fallback) or the Vega the build compiled it to (the
   pages), which keeps the title's font in the "group-title" style and the padding on top. */
function scsFitTitle(spec, width) {
  "use strict";
  if (!spec.title || !(width > 0)) return;
  var config = spec.config || {};
  var compiled = (config.style || {})["group-title"] || {};
  var style = Object.assign({}, compiled, config.title || {});
  var family = style.font || config.font || "sans-serif";
  var context = document.createElement("canvas").getContext("2d");
  var padding = [spec.padding, config.padding, 5].filter(function (value) {
    return typeof value === "number";
  })[0];
  var room = width - 2 * padding - 4;
  function wrap(lines, weight, size) {
    context.font = weight + " " + size + "px " + family;
    return scsWrapText(context, lines, room);
  }
  var title = typeof spec.title === "object" && !Array.isArray(spec.title) ?
    spec.title : {text: spec.title};
  title.text = wrap(title.text, style.fontWeight || "bold", style.fontSize || 13);
  if (title.subtitle) {
    title.subtitle = wrap(title.subtitle, style.subtitleFontWeight || "normal",
                          style.subtitleFontSize || 10);
  }
  spec.title = title;
}
