import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { textOf } from "./engine-chat.ts";
import type { TestApp } from "./test-app.ts";

/** A login link as the bot writes it in the chat. */
export const LOGIN_LINK = /\/masuk\/([A-Za-z0-9_-]{43})/;

/**
 * A browser for the web inbox over Fastify's inject (no socket): keeps cookies, follows nothing
 * by itself, and reads the form token from the last page.
 */
export class WebBrowser {
  readonly cookies = new Map<string, string>();
  last: LightMyRequestResponse | null = null;
  readonly #app: FastifyInstance;

  constructor(app: FastifyInstance) {
    this.#app = app;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.#keep(
      await this.#app.inject({ method: "GET", url, headers, cookies: Object.fromEntries(this.cookies) }),
    );
  }

  async post(url: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.#keep(
      await this.#app.inject({
        method: "POST",
        url,
        payload: new URLSearchParams(form).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
        cookies: Object.fromEntries(this.cookies),
      }),
    );
  }

  /** Posts a form with one file, as a browser sends `enctype="multipart/form-data"` (fields first, then the file). */
  async postFile(
    url: string,
    fields: Record<string, string>,
    file: { field: string; name: string; content: string },
  ): Promise<LightMyRequestResponse> {
    const boundary = "----tppo-test-boundary";
    const parts = Object.entries(fields).map(
      ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    parts.push(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`,
    );
    return this.#keep(
      await this.#app.inject({
        method: "POST",
        url,
        payload: `${parts.join("")}--${boundary}--\r\n`,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
        cookies: Object.fromEntries(this.cookies),
      }),
    );
  }

  /** The form token of the last page (every POST form carries it). */
  get csrf(): string {
    return /name="csrf" value="([^"]+)"/.exec(this.last?.body ?? "")?.[1] ?? "";
  }

  /** The case version the last page's forms carry. */
  get version(): string {
    return /name="version" value="(\d+)"/.exec(this.last?.body ?? "")?.[1] ?? "";
  }

  #keep(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of response.cookies as Array<{ name: string; value: string; maxAge?: number }>) {
      if (c.maxAge === 0 || c.value === "") this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    this.last = response;
    return response;
  }
}

/** Asks for a login link in a staff member's chat and returns its token. */
export async function loginLinkFor(t: TestApp, user: string): Promise<string> {
  const reply = textOf(await t.send(user, "/masuk"));
  const token = LOGIN_LINK.exec(reply)?.[1];
  expect(token, reply).toBeTruthy();
  return token as string;
}

/** Logs a browser in through a link from the staff member's chat, as a person would: open, press "Masuk". */
export async function logIn(t: TestApp, browser: WebBrowser, user: string): Promise<void> {
  const token = await loginLinkFor(t, user);
  const page = await browser.get(`/masuk/${token}`);
  expect(page.statusCode).toBe(200);
  const pre = /name="pre" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  const done = await browser.post(`/masuk/${token}`, { pre });
  expect(done.statusCode, done.body).toBe(303);
  expect(done.headers.location).toBe("/kotak");
}

/** The visible text of a page: tags dropped, entities of the escaper decoded, white space folded. */
export function visibleText(body: string): string {
  return body
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
