/*
 * Backstory's additions to the content manager (Decap CMS). Loaded before decap-cms.js: it asks
 * Decap not to start on its own, then registers these and starts it once the page is parsed.
 *
 * - The "backstory-id" widget: a fact's id, which is its file name. A new fact needs one, which
 *   Decap checks against the field's pattern in config.yml (the contract's rule); an existing
 *   fact's id is shown read-only, because Decap never renames a file (and most files do not
 *   write their id).
 * - The "backstory-text-or-mapping" widget: a list whose items are each a text, or a mapping
 *   holding that text and more (a story's unknowns and next steps). It is Decap's list of forms
 *   of the mapping: a text item is shown as a mapping of its text alone, and saved as the plain
 *   text again while nothing but its text is given.
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

  function textOrMappingControl(listControl) {
    return window.createClass({
      textField: function () {
        return this.props.field.get("text_field");
      },

      asMappings: function (items) {
        var key = this.textField();
        var empty = this.props.field.clear(); // an empty mapping of Decap's own kind
        if (!isList(items)) return items;
        return items.map(function (item) {
          return typeof item === "string" ? empty.set(key, item) : item;
        });
      },

      asSaved: function (items) {
        var key = this.textField();
        if (!isList(items)) return items;
        return items.map(function (item) {
          if (!isMap(item)) return item;
          var others = item.filter(function (value, name) { return name !== key && !isBlank(value); });
          return others.size === 0 && typeof item.get(key) === "string" ? item.get(key) : item;
        });
      },

      // Decap validates and focuses through the list it wraps.
      validate: function () { return this.list && this.list.validate && this.list.validate(); },
      isValid: function () { return this.list && this.list.isValid ? this.list.isValid() : true; },
      focus: function (path) { return this.list && this.list.focus && this.list.focus(path); },

      // The list's own field: the items' fields under Decap's name for them. (The widget's
      // config names them "item_fields", so that Decap's loading and saving, which read any
      // "fields" as a mapping's, leave the text items alone.)
      listField: function () {
        if (this.field !== this.props.field) {
          this.field = this.props.field;
          this.asList = this.props.field.set("fields", this.props.field.get("item_fields"));
        }
        return this.asList;
      },

      render: function () {
        var self = this;
        var props = Object.assign({}, this.props, {
          field: this.listField(),
          value: this.asMappings(this.props.value),
          onChange: function (items, metadata) {
            self.props.onChange(self.asSaved(items), metadata);
          },
          ref: function (list) { self.list = list; },
        });
        return window.h(listControl, props);
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var CMS = window.CMS;
    CMS.registerWidget("backstory-id", idControl());
    CMS.registerWidget("backstory-text-or-mapping", textOrMappingControl(CMS.getWidget("list").control));
    CMS.registerEventListener({
      name: "preSave",
      handler: function (event) { return withoutBlanks(event.entry.get("data")); },
    });
    CMS.init();
  });
})();
