/**
 * Building DOM without HTML strings: every text goes in as text, so nothing a user typed (a title, a failure reason)
 * can become markup. Attributes named on* are refused for the same reason; listeners are attached with `on`.
 */
type Child = Node | string | number | null | undefined | false;
type Listener = (event: any) => unknown;
type Attrs = { [name: string]: string | number | boolean | null | undefined | Record<string, Listener> } & {
  on?: Record<string, Listener>;
};

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement;
export function h(tag: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (name === 'on') {
        for (const [type, listener] of Object.entries(value as Record<string, Listener>)) {
          element.addEventListener(type, listener);
        }
      } else if (name.toLowerCase().startsWith('on')) {
        throw new Error(`Use 'on' for listeners, not the attribute ${name}`);
      } else if (value === true) {
        element.setAttribute(name, '');
      } else if (value !== false && value !== null && value !== undefined) {
        element.setAttribute(name, String(value));
      }
    }
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces everything inside `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) {
    parent.removeChild(parent.firstChild);
  }
  append(parent, ...children);
}
