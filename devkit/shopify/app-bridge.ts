// App Bridge's part of Shopify admin that the app's pages talk to, for a browser without
// Shopify: the `shopify` global's save bar and the `ui-save-bar` element. Shopify admin draws
// the contextual save bar outside the app's iframe with the labels of the element's buttons and
// clicks them when the merchant does; here the element draws that bar itself (a region named
// "Unsaved changes" fixed at the top), so a test can click Save and Discard as a merchant would.
// The app's `ui-nav-menu` links are hidden, as Shopify admin shows them in its sidebar.
//
// It runs in the page (Playwright's `addInitScript`), before the app's scripts: only the page's
// own globals, no imports and nothing a compiler would lower into helper functions.

/** Installs the stand-in; pass it to `context.addInitScript`. */
export function installAppBridgeStandIn(): void {
  const bars = () => Array.from(document.querySelectorAll("ui-save-bar")) as unknown as SaveBarElement[];
  interface SaveBarElement extends HTMLElement {
    showing: boolean;
    show(): Promise<void>;
    hide(): Promise<void>;
    toggle(): Promise<void>;
  }

  function draw(element: HTMLElement & { showing: boolean }) {
    const root = element.shadowRoot!;
    root.replaceChildren();
    if (!element.showing) return;
    const bar = document.createElement("div");
    bar.setAttribute("role", "region");
    bar.setAttribute(
      "aria-label",
      document.documentElement.lang.startsWith("zh") ? "未保存的更改" : "Unsaved changes",
    );
    bar.setAttribute(
      "style",
      "position:fixed;inset:0 0 auto 0;z-index:2147483647;display:flex;gap:8px;align-items:center;" +
        "padding:10px 16px;background:#1a1a1a;color:#fff;font:600 14px system-ui,sans-serif",
    );
    const label = document.createElement("span");
    // Shopify admin speaks the merchant's language, as the app's page does.
    label.textContent = document.documentElement.lang.startsWith("zh") ? "未保存的更改" : "Unsaved changes";
    label.setAttribute("style", "flex:1");
    bar.append(label);
    // Discard first, Save last, as Shopify admin orders them.
    const buttons = Array.from(element.querySelectorAll("button"));
    buttons.sort(
      (a, b) =>
        Number(a.getAttribute("variant") === "primary") - Number(b.getAttribute("variant") === "primary"),
    );
    for (const source of buttons) {
      const button = document.createElement("button");
      button.textContent = source.textContent;
      button.disabled = source.disabled || source.hasAttribute("loading");
      const primary = source.getAttribute("variant") === "primary";
      button.setAttribute(
        "style",
        `padding:6px 12px;border-radius:8px;border:0;font:inherit;${primary ? "background:#fff;color:#1a1a1a" : "background:#404040;color:#fff"}`,
      );
      button.addEventListener("click", () => source.click());
      bar.append(button);
    }
    root.append(bar);
  }

  class SaveBarStandIn extends HTMLElement {
    showing: boolean;
    constructor() {
      super();
      this.showing = false;
      // The buttons are the app's hooks, not what is shown: a shadow root without a slot hides them.
      this.attachShadow({ mode: "open" });
      new MutationObserver(() => draw(this)).observe(this, {
        subtree: true,
        childList: true,
        attributes: true,
        characterData: true,
      });
    }
    show() {
      this.showing = true;
      draw(this);
      this.dispatchEvent(new Event("show"));
      return Promise.resolve();
    }
    hide() {
      if (this.showing) {
        this.showing = false;
        draw(this);
        this.dispatchEvent(new Event("hide"));
      }
      return Promise.resolve();
    }
    toggle() {
      return this.showing ? this.hide() : this.show();
    }
  }
  customElements.define("ui-save-bar", SaveBarStandIn);
  // Shopify admin shows the app's menu in its own sidebar: inside the app the links are hooks only.
  class NavMenuStandIn extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: "open" });
    }
  }
  customElements.define("ui-nav-menu", NavMenuStandIn);

  const byId = (id: string) => bars().find((bar) => bar.id === id);
  (window as unknown as { shopify: unknown }).shopify = {
    saveBar: {
      show: (id: string) => byId(id)?.show() ?? Promise.resolve(),
      hide: (id: string) => byId(id)?.hide() ?? Promise.resolve(),
      toggle: (id: string) => byId(id)?.toggle() ?? Promise.resolve(),
      // Shopify admin asks with its own dialog; it resolves only when the merchant leaves.
      leaveConfirmation: () =>
        new Promise<void>((resolve) => {
          if (
            !bars().some((bar) => bar.showing) ||
            window.confirm("Leave page? Unsaved changes will be lost.")
          ) {
            for (const bar of bars()) void bar.hide();
            resolve();
          }
        }),
    },
    toast: { show: () => undefined, hide: () => undefined },
  };
}
