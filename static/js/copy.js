// A button marked data-copy-target="#id" copies that field's value to the clipboard and
// says so (its data-copied-label); where the clipboard cannot be written (an address
// without HTTPS), the field's text is selected for the person to copy.
// No inline script: the CSP refuses it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) {
    return;
  }
  const field = document.querySelector(button.dataset.copyTarget);
  if (!field) {
    return;
  }
  const done = () => {
    button.textContent = button.dataset.copiedLabel || button.textContent;
  };
  const select = () => {
    field.focus();
    field.select();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, select);
  } else {
    select();
  }
});
