// Progressive enhancement only: every form works without this file.
// A sort menu submits its form when its choice changes (the button that
// does it without JavaScript is then hidden).
document.querySelectorAll("form.sort select[name=sort]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
  select.form.querySelectorAll("button[data-without-js]").forEach((button) => {
    button.hidden = true;
  });
});
