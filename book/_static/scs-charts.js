/* Draws a chart of the book with the Vega libraries the book serves (loaded before this file).
   Each chart's page calls scsChart(elementId, vegaLiteSpec, embedOptions) once, in a script
   placed right after the chart's element: that element is used (ids are content hashes, so
   the same chart shown twice on a page has the same id twice). */
function scsChart(id, spec, options) {
  const before = document.currentScript && document.currentScript.previousElementSibling;
  const element = before && before.id === id ? before : document.getElementById(id);
  if (!element) {
    console.error(`scsChart: no element with the id ${id}`);
    return;
  }
  vegaEmbed(element, spec, options).catch((error) => {
    element.textContent = `This chart could not be drawn (${error.message}); its data is linked below.`;
    console.error(error);
  });
}
