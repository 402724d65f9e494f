/* The sidebar toggles a reader can see, made to work.

   pydata-sphinx-theme 0.17 puts its own ".primary-toggle" and ".secondary-toggle" in the top
   navbar, hidden by sphinx-book-theme, which shows its own buttons of the same classes in the
   article header. Both themes bind only the first button of each class (querySelector), the
   hidden one (pydata-sphinx-theme issue 2451). Each further button forwards its click to the
   bound one, so the themes' own code opens the drawer (narrow screens) or collapses the
   sidebar (wide screens). Buttons take Enter and Space as clicks; Escape closes the drawer. */
(function () {
  function forwardToBoundToggle(kind) {
    const [bound, ...others] = document.querySelectorAll("." + kind);
    for (const button of others) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    }
  }
  function bind() {
    forwardToBoundToggle("primary-toggle");
    forwardToBoundToggle("secondary-toggle");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
