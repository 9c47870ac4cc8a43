/* Backstory's script for the pages: the reader's search, and the page's address on paper. */

/* The reader's search. The header's button opens Pagefind's search dialog; nothing of
   the search (its interface, its engine, its index) is downloaded before a reader opens it. The
   button, "/" and Ctrl+K (Cmd+K on a Mac) open it; Escape closes it and gives the focus back. */
(() => {
  "use strict";
  const button = document.querySelector("[data-bs-search]");
  if (!button) return;
  const bundle = new URL(button.dataset.bundle, document.baseURI);
  const words = {
    kind: button.dataset.kindLabel || "Kind",
    topic: button.dataset.topicLabel || "Topic",
  };
  const maxResults = Number(button.dataset.maxResults) || 50;

  // A result: its kind, then its title, both inside the link (a screen reader names the link
  // "Quote: Ryan Luby: ..."). A fact shown at an anchor is indexed from a file named after its
  // location ("actors/x/#quote-y"), whose "#" the index writes as "%23".
  const resultTemplate = `
<li class="pf-result">
  <div class="pf-result-card">
    <div class="pf-result-content">
      <p class="pf-result-title">
        <a class="pf-result-link" href="{{ url | replace("%23", "#") | safeUrl }}">{{#if meta.kind}}<span class="bs-result-kind">{{ meta.kind }}<span class="bs-hidden-text">: </span></span> {{/if}}{{ meta.title }}</a>
      </p>
      {{#if meta.date}}<p class="bs-result-date">{{ meta.date }}</p>{{/if}}
      {{#if excerpt}}<p class="pf-result-excerpt">{{+ excerpt +}}</p>{{/if}}
    </div>
  </div>
  {{#if sub_results}}
  <ul class="pf-heading-chips">
    {{#each sub_results as sub}}
    <li class="pf-heading-chip">
      <a class="pf-heading-link" href="{{ sub.url | safeUrl }}">{{ sub.title }}</a>
      <p class="pf-heading-excerpt">{{+ sub.excerpt +}}</p>
    </li>
    {{/each}}
  </ul>
  {{/if}}
</li>`;

  function dialogMarkup() {
    const host = document.createElement("div");
    host.className = "bs-search-dialog";
    host.innerHTML = `
<pagefind-modal reset-on-close>
  <pagefind-modal-header><pagefind-input></pagefind-input></pagefind-modal-header>
  <pagefind-modal-body>
    <div class="bs-search-filters">
      <pagefind-filter-dropdown filter="kind"></pagefind-filter-dropdown>
      <pagefind-filter-dropdown filter="topic" sort="alphabetical"></pagefind-filter-dropdown>
    </div>
    <pagefind-summary></pagefind-summary>
    <pagefind-results max-sub-results="2"></pagefind-results>
  </pagefind-modal-body>
  <pagefind-modal-footer><pagefind-keyboard-hints></pagefind-keyboard-hints></pagefind-modal-footer>
</pagefind-modal>`;
    // Labels and limits set as attributes, never as markup: they may come from translations.
    const [kind, topic] = host.querySelectorAll("pagefind-filter-dropdown");
    kind.setAttribute("label", words.kind);
    topic.setAttribute("label", words.topic);
    const results = host.querySelector("pagefind-results");
    results.setAttribute("max-results", String(maxResults));
    const template = document.createElement("script");
    template.type = "text/pagefind-template";
    template.textContent = resultTemplate;
    results.append(template);
    return host;
  }

  // The filter menus' buttons are comboboxes, which take no name from their text: each is
  // named after its filter ("Kind", "Topic"). Their options are named with their visible text
  // first ("Quote 2 results", where the menu shows "Quote" and "2"), so that a reader who says
  // what is on the screen to voice control reaches them. Done again whenever the dialog draws
  // them anew.
  function nameFilterMenus(host) {
    const setName = (element, name) => {
      if (element.getAttribute("aria-label") !== name) element.setAttribute("aria-label", name);
    };
    const name = () => {
      for (const menu of host.querySelectorAll("pagefind-filter-dropdown")) {
        const trigger = menu.querySelector(".pf-dropdown-trigger");
        const label = menu.getAttribute("label");
        if (trigger && label) setName(trigger, label);
        // A long list scrolls: it takes the focus too, so that the keyboard can scroll it.
        const list = menu.querySelector(".pf-dropdown-options");
        if (list && !list.hasAttribute("tabindex")) list.setAttribute("tabindex", "0");
        for (const option of menu.querySelectorAll(".pf-dropdown-option")) {
          const label = option.querySelector(".pf-dropdown-option-label");
          const shown = option.querySelector(".pf-dropdown-option-count");
          const text = label?.textContent.trim();
          const count = shown?.textContent.trim();
          if (!text || !count) continue;
          // A space between the two (which the menu's layout ignores) makes its text "Quote 2".
          if (label.nextSibling === shown) label.after(document.createTextNode(" "));
          setName(option, `${text} ${count} ${count === "1" ? "result" : "results"}`);
        }
      }
    };
    new MutationObserver(name).observe(host, {
      childList: true,
      subtree: true,
      characterData: true,
      attributeFilter: ["aria-label"],
    });
    name();
  }

  let loading = null;
  function load() {
    if (loading) return loading;
    loading = new Promise((resolve, reject) => {
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = new URL("pagefind-component-ui.css", bundle).href;
      document.head.append(style);
      const script = document.createElement("script");
      script.src = new URL("pagefind-component-ui.js", bundle).href;
      script.onload = resolve;
      script.onerror = () => reject(new Error("the search could not be loaded"));
      document.head.append(script);
    }).then(async () => {
      window.PagefindComponents.configureInstance("default", { bundlePath: bundle.pathname });
      const host = dialogMarkup();
      document.body.append(host);
      nameFilterMenus(host);
      await customElements.whenDefined("pagefind-modal");
      return host.querySelector("pagefind-modal");
    });
    loading.catch(() => {
      loading = null;
    });
    return loading;
  }

  async function open() {
    button.setAttribute("aria-busy", "true");
    try {
      const modal = await load();
      modal.open();
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  button.addEventListener("click", open);
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    ) {
      return;
    }
    if (target instanceof HTMLElement && target.closest(".bs-search-dialog")) return;
    const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey;
    const modK = event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey);
    if (slash || modK) {
      event.preventDefault();
      open();
    }
  });
})();

/* On paper, the page says where it lives: the theme prints its address when the site's address
   is known (site_url); otherwise the address it was opened at. */
(() => {
  "use strict";
  for (const line of document.querySelectorAll(".bs-print-url:empty")) {
    line.textContent = location.href;
  }
})();
