/**
 * Elements of a parsed XML document that know their own XPath, so every issue a parser reports
 * names the place in the input: `/cXML/Request/OrderRequest/ItemOut[2]/@quantity`.
 *
 * Paths use local names (namespace prefixes are removed by safe-xml, so `cac:OrderLine` is
 * `OrderLine`) and 1-based positions among same-named siblings, as XPath counts them. An element
 * reached as one of a list always carries its position; a lone child reached by name does not.
 */

/** fast-xml-parser's node shape under safe-xml's options: children are arrays, text is `#text`. */
type XmlNode = Readonly<Record<string, unknown>>;

const TEXT = '#text';
const ATTRIBUTE_PREFIX = '@_';

/** `ItemOut[2]`; `ItemOut` when no position is meant. */
export function xpathStep(name: string, position?: number): string {
  return position === undefined ? name : `${name}[${position}]`;
}

/** `Contact[@role='buyer']`: a step narrowed by an attribute, for naming an element that is missing. */
export function xpathWhere(name: string, attribute: string, value: string): string {
  return `${name}[@${attribute}='${value.replaceAll("'", '&apos;')}']`;
}

/** `E1EDKA1[PARVW='WE']`: a step narrowed by a child's text (IDoc qualifiers). */
export function xpathWhereChild(name: string, child: string, value: string): string {
  return `${name}[${child}='${value.replaceAll("'", '&apos;')}']`;
}

export class XmlElement {
  constructor(
    /** Local name. */
    readonly name: string,
    private readonly node: XmlNode,
    /** Absolute XPath of this element. */
    readonly path: string,
  ) {}

  /** Every child with this local name, in document order, each with its position in its path. */
  children(name: string): XmlElement[] {
    const list = this.node[name];
    if (!Array.isArray(list)) return [];
    return list.map((child, i) => new XmlElement(name, child as XmlNode, `${this.path}/${xpathStep(name, i + 1)}`));
  }

  /** The first child with this local name; its path carries a position only when it has same-named siblings. */
  child(name: string): XmlElement | undefined {
    const list = this.node[name];
    if (!Array.isArray(list) || list.length === 0) return undefined;
    return new XmlElement(name, list[0] as XmlNode, `${this.path}/${xpathStep(name, list.length > 1 ? 1 : undefined)}`);
  }

  /** Follows a chain of first children: `el.descend('ItemDetail', 'UnitPrice', 'Money')`. */
  descend(...names: readonly string[]): XmlElement | undefined {
    let current: XmlElement | undefined = this;
    for (const name of names) current = current?.child(name);
    return current;
  }

  /**
   * XPath of a descendant reached through first children, whether or not it exists: the steps that
   * exist carry their positions, the rest are named as written; `@name` names an attribute.
   */
  pathAlong(...steps: readonly string[]): string {
    let current: XmlElement | undefined = this;
    let path = this.path;
    for (const step of steps) {
      current = step.startsWith('@') ? undefined : current?.child(step);
      path = current ? current.path : `${path}/${step}`;
    }
    return path;
  }

  /** Local names of the child elements, in first-seen order. */
  childNames(): string[] {
    return Object.keys(this.node).filter((key) => key !== TEXT && !key.startsWith(ATTRIBUTE_PREFIX));
  }

  /** Trimmed text content; undefined when empty, so an empty element reads as absent. */
  text(): string | undefined {
    const value = this.node[TEXT];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** Text of the first child chain, or undefined. */
  textOf(...names: readonly string[]): string | undefined {
    return this.descend(...names)?.text();
  }

  /** Trimmed attribute value by local name; undefined when absent or empty. */
  attr(name: string): string | undefined {
    const value = this.node[ATTRIBUTE_PREFIX + name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** XPath of a child that may not exist: `…/ShipTo`, or `…/Contact[@role='buyer']` given a step. */
  pathTo(...steps: readonly string[]): string {
    return [this.path, ...steps].join('/');
  }

  /** XPath of an attribute of this element: `…/ItemOut[2]/@quantity`. */
  attrPath(name: string): string {
    return `${this.path}/@${name}`;
  }
}
