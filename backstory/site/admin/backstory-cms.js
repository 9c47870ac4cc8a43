/*
 * Backstory's additions to the content manager (Decap CMS). Loaded before decap-cms.js: it asks
 * Decap not to start on its own, then registers these and starts it once the page is parsed.
 *
 * - The "backstory-id" widget: a fact's id, which is its file name. A new fact needs one, which
 *   Decap checks against the field's pattern in config.yml (the contract's rule); an existing
 *   fact's id is shown read-only, because Decap never renames a file (and most files do not
 *   write their id).
 * - A preSave handler that leaves out of the file what an editor cleared: Decap writes an
 *   emptied field as null, "" or [] and an unticked box as false. Every optional field of the
 *   contract means the same when absent (Backstory's tests check that no boolean defaults to
 *   true), so the file stays as `backstory new` would write it.
 */
(function () {
  "use strict";

  window.CMS_MANUAL_INIT = true;

  function isList(value) {
    return Boolean(value) && typeof value.toArray === "function" && typeof value.push === "function";
  }

  function isMap(value) {
    return Boolean(value) && typeof value.keySeq === "function" && !isList(value);
  }

  function isBlank(value) {
    if (value === null || value === undefined || value === false) return true;
    if (typeof value === "string") return value.trim() === "";
    if (isList(value) || isMap(value)) return value.size === 0;
    return false;
  }

  function withoutBlanks(value) {
    if (isList(value) || isMap(value)) {
      return value.map(withoutBlanks).filter(function (item) { return !isBlank(item); });
    }
    return value;
  }

  function isNewEntry(props) {
    var entry = props.getEntry ? props.getEntry() : props.entry;
    return Boolean(entry && entry.get("newRecord"));
  }

  function idControl() {
    return window.createClass({
      // What Decap checks against "required" and "pattern": the id typed for a new fact, the
      // file's own name for an existing one (which may not write its id).
      getValidateValue: function () {
        return isNewEntry(this.props) ? this.props.value : this.props.getEntry().get("slug");
      },

      render: function () {
        var props = this.props;
        var h = window.h;
        if (!isNewEntry(props)) {
          return h("input", {
            type: "text",
            id: props.forID,
            className: props.classNameWrapper,
            value: props.getEntry().get("slug") || "",
            readOnly: true,
            "aria-readonly": "true",
          });
        }
        return h("input", {
          type: "text",
          id: props.forID,
          className: props.classNameWrapper,
          value: props.value || "",
          autoComplete: "off",
          spellCheck: false,
          onChange: function (event) { props.onChange(event.target.value); },
          onFocus: props.setActiveStyle,
          onBlur: props.setInactiveStyle,
        });
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var CMS = window.CMS;
    CMS.registerWidget("backstory-id", idControl());
    CMS.registerEventListener({
      name: "preSave",
      handler: function (event) { return withoutBlanks(event.entry.get("data")); },
    });
    CMS.init();
  });
})();
