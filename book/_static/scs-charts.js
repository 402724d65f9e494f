/* Draws a chart of the book with the Vega libraries the book serves (loaded before this file).
   Each chart's page calls scsChart(elementId, vegaLiteSpec, embedOptions) once. */
function scsChart(id, spec, options) {
  const element = document.getElementById(id);
  vegaEmbed(element, spec, options).catch((error) => {
    element.textContent = `This chart could not be drawn (${error.message}); its data is linked below.`;
    console.error(error);
  });
}
