import { ValidationError } from '../../core/errors/validation.error';

/**
 * A small XML writer for the documents the hub generates: build a tree with {@link el}, render it
 * with {@link renderXml}. Text and attribute values are always escaped; absent values (undefined)
 * drop their element or attribute, so optional fields need no `if`s at the call site.
 */

export interface XmlNodeSpec {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | undefined>>;
  readonly children: readonly (XmlNodeSpec | string)[];
}

/** What an element may hold: text, elements, lists of elements, and nothing (undefined, false). */
export type XmlChild = XmlNodeSpec | string | undefined | false | readonly (XmlNodeSpec | undefined | false)[];

/** An element; string children are text, arrays are flattened, undefined and false are skipped. */
export function el(name: string, attributes: Readonly<Record<string, string | undefined>> | null, ...children: XmlChild[]): XmlNodeSpec {
  const flat: (XmlNodeSpec | string)[] = [];
  for (const child of children) {
    if (Array.isArray(child)) {
      for (const item of child as readonly (XmlNodeSpec | undefined | false)[]) if (item) flat.push(item);
    } else if (child !== undefined && child !== false) flat.push(child as XmlNodeSpec | string);
  }
  return { name, attributes: attributes ?? {}, children: flat };
}

/** An element holding one text value, or nothing at all when the value is absent. */
export function leaf(name: string, value: string | undefined, attributes?: Readonly<Record<string, string | undefined>>): XmlNodeSpec | undefined {
  return value === undefined || value === '' ? undefined : el(name, attributes ?? null, value);
}

export interface RenderOptions {
  /** Written verbatim after the XML declaration, e.g. cXML's external-DTD DOCTYPE. */
  readonly doctype?: string;
}

/** UTF-8 with declaration, two-space indentation; elements holding only text stay on one line. */
export function renderXml(root: XmlNodeSpec, options: RenderOptions = {}): Buffer {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (options.doctype) lines.push(options.doctype);
  write(root, 0, lines);
  return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
}

function write(node: XmlNodeSpec, depth: number, lines: string[]): void {
  const indent = '  '.repeat(depth);
  let open = `<${node.name}`;
  for (const [key, value] of Object.entries(node.attributes)) if (value !== undefined) open += ` ${key}="${escape(value, node.name, true)}"`;
  if (node.children.length === 0) {
    lines.push(`${indent}${open}/>`);
  } else if (node.children.every((c) => typeof c === 'string')) {
    lines.push(`${indent}${open}>${node.children.map((c) => escape(c as string, node.name, false)).join('')}</${node.name}>`);
  } else {
    lines.push(`${indent}${open}>`);
    for (const child of node.children) {
      if (typeof child === 'string') lines.push(`${indent}  ${escape(child, node.name, false)}`);
      else write(child, depth + 1, lines);
    }
    lines.push(`${indent}</${node.name}>`);
  }
}

/** Characters XML 1.0 cannot carry at all, even as references (§2.2). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function escape(value: string, element: string, attribute: boolean): string {
  if (NOT_XML.test(value)) {
    throw new ValidationError(`a value of <${element}> holds a character XML 1.0 cannot carry`, [
      { path: element, message: 'contains a control character or unpaired surrogate that XML 1.0 cannot represent' },
    ]);
  }
  // \r is escaped so it survives XML's newline normalisation; tabs and newlines too inside attributes.
  let out = value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('\r', '&#13;');
  if (attribute) out = out.replaceAll('"', '&quot;').replaceAll('\n', '&#10;').replaceAll('\t', '&#9;');
  return out;
}
