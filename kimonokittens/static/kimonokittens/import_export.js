// The export page's "Select all" box, bound here rather than by an onchange="…" attribute,
// which the Content-Security-Policy blocks. onSelectToggleChange is django-import-export's
// (import_export/export_selectable_fields.js, loaded before this file).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
