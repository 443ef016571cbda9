(function () {
  "use strict";
  // Filters for the findings. Their state lives in the URL fragment ("#filter?check=temporal&...")
  // so that a link reproduces the view; fragments that name an element (links to the articles)
  // are left alone. Article text never passes through here: only textContent and data attributes.
  var form = document.getElementById("filters");
  if (!form) { return; }
  var PREFIX = "#filter?";
  var GROUPS = ["check", "severity", "outlet"];
  var slider = document.getElementById("min-confidence");
  var sliderValue = document.getElementById("min-confidence-value");

  function boxes(name) {
    return Array.prototype.slice.call(form.querySelectorAll("input[name='" + name + "']"));
  }
  function checked(name) {
    var set = Object.create(null);
    boxes(name).forEach(function (box) {
      if (box.checked) { set[box.value] = true; }
    });
    return set;
  }
  function verdict() {
    var picked = form.querySelector("input[name='verdict']:checked");
    return picked ? picked.value : "";
  }
  function minConfidence() {
    var value = parseFloat(slider.value);
    return isNaN(value) ? 0 : value;
  }

  function apply() {
    var checks = checked("check"), severities = checked("severity"), outlets = checked("outlet");
    var wanted = verdict(), least = minConfidence();
    var shown = 0;
    sliderValue.textContent = least.toFixed(2);
    document.querySelectorAll(".finding").forEach(function (el) {
      var d = el.dataset;
      var visible = !!checks[d.check] && !!severities[d.severity] &&
        (!!outlets[d.outletA] || !!outlets[d.outletB]) &&
        (!wanted || d.verdict === wanted) &&
        parseFloat(d.confidence) + 1e-9 >= least;
      el.hidden = !visible;
      if (visible) { shown += 1; }
    });
    document.getElementById("shown-count").textContent = String(shown);
  }

  // the form's state as URL parameters; empty when every finding is shown
  function state() {
    var params = new URLSearchParams();
    GROUPS.forEach(function (name) {
      var all = boxes(name), on = all.filter(function (box) { return box.checked; });
      if (on.length === all.length) { return; }
      if (!on.length) { params.append(name, ""); }
      on.forEach(function (box) { params.append(name, box.value); });
    });
    if (verdict()) { params.set("verdict", verdict()); }
    if (minConfidence() > 0) { params.set("confidence", slider.value); }
    return params.toString();
  }

  function restore(hash) {
    var params = new URLSearchParams(hash.slice(PREFIX.length));
    GROUPS.forEach(function (name) {
      var values = params.has(name) ? params.getAll(name) : null;
      boxes(name).forEach(function (box) {
        box.checked = values === null || values.indexOf(box.value) >= 0;
      });
    });
    var wanted = params.get("verdict") || "";
    var radios = boxes("verdict");
    var match = radios.filter(function (r) { return r.value === wanted; })[0] || radios[0];
    if (match) { match.checked = true; }
    slider.value = params.get("confidence") || "0";
  }

  function save() {
    var query = state();
    var hash = query ? PREFIX + query : "";
    if (hash === location.hash || (!hash && location.hash.indexOf(PREFIX) !== 0)) { return; }
    var base = location.href.split("#")[0];
    try {
      history.replaceState(history.state, "", base + hash);
    } catch (e) {
      location.replace(base + (hash || "#")); // a fragment-only change: no reload
    }
  }

  function changed() { apply(); save(); }

  function fromLocation() {
    if (location.hash.indexOf(PREFIX) === 0) {
      restore(location.hash);
      apply();
    }
  }

  function only(outlet) {
    boxes("outlet").forEach(function (box) { box.checked = box.value === outlet; });
    changed();
  }

  form.addEventListener("change", changed);
  slider.addEventListener("input", changed);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.querySelectorAll("button.only").forEach(function (button) {
    button.addEventListener("click", function () { only(button.dataset.outlet); });
  });
  form.querySelector("button.all-outlets").addEventListener("click", function () {
    boxes("outlet").forEach(function (box) { box.checked = true; });
    changed();
  });
  document.getElementById("reset-filters").addEventListener("click", function () {
    restore(PREFIX);
    changed();
  });
  window.addEventListener("hashchange", fromLocation);
  fromLocation();
  apply();
})();
