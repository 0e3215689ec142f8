// A button marked data-print-page prints the page (no inline script: the CSP refuses it).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print-page]")) {
    window.print();
  }
});
