// Page behaviour that used to sit in inline on*= attributes, which the Content-Security-Policy refuses.
//   <select data-submit-on-change>           submits its form when the choice changes
//   <select data-go="/teams/{value}/">       opens that address with the chosen value
//   <button data-print>                      prints the page
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("select[data-submit-on-change]") && el.form) {
      el.form.submit();
    } else if (el.matches("select[data-go]")) {
      location.href = el.getAttribute("data-go").replace("{value}", encodeURIComponent(el.value));
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
