(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  function checked(name) {
    var set = Object.create(null);
    form.querySelectorAll("input[name='" + name + "']").forEach(function (box) {
      if (box.checked) { set[box.value] = true; }
    });
    return set;
  }
  function apply() {
    var checks = checked("check"), severities = checked("severity"), outlets = checked("outlet");
    var shown = 0;
    document.querySelectorAll(".finding").forEach(function (el) {
      var d = el.dataset;
      var visible = !!checks[d.check] && !!severities[d.severity] &&
        (!!outlets[d.outletA] || !!outlets[d.outletB]);
      el.hidden = !visible;
      if (visible) { shown += 1; }
    });
    document.getElementById("shown-count").textContent = String(shown);
  }
  form.addEventListener("change", apply);
  apply();
})();
