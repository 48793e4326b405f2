import { type ChildProcess, spawn } from "node:child_process";
import { REPO_ROOT } from "./run-command.ts";

/**
 * A terminal simulator kept open (`npm start` with no channel, as `term:<user>`): lines go in one
 * at a time, and everything the bot printed so far can be waited for. Without a TTY the simulator
 * prints what waits for its person each time it has handled a line.
 */
export class SimTerminal {
  readonly user: string;
  #stdout = "";
  #stderr = "";
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;

  private constructor(user: string, child: ChildProcess) {
    this.user = user;
    this.#child = child;
    child.stdout?.on("data", (c: Buffer) => {
      this.#stdout += c.toString("utf8");
    });
    child.stderr?.on("data", (c: Buffer) => {
      this.#stderr += c.toString("utf8");
    });
    this.#exited = new Promise((resolve) => child.on("close", (code) => resolve(code)));
  }

  /** Starts the bundled bot as the simulator for one person and waits until it reads input. */
  static start(user: string, env: Record<string, string>, timeoutMs = 60_000): Promise<SimTerminal> {
    return SimTerminal.run(user, ["dist/bundle/main.js", "--user", user], env, '"channel":"terminal"', timeoutMs);
  }

  /** Starts another terminal program of the repository (its script and arguments) and waits for `ready` on stderr. */
  static async run(
    label: string,
    argv: string[],
    env: Record<string, string>,
    ready: string,
    timeoutMs = 60_000,
  ): Promise<SimTerminal> {
    const child = spawn(process.execPath, argv, {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: "info", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const terminal = new SimTerminal(label, child);
    await terminal.#until(() => terminal.#stderr.includes(ready), timeoutMs, "start");
    return terminal;
  }

  /** What the bot printed so far. */
  get output(): string {
    return this.#stdout;
  }

  /** The logs and notices on stderr so far. */
  get errors(): string {
    return this.#stderr;
  }

  /** Types lines, one after another. */
  send(...lines: string[]): void {
    for (const line of lines) this.#child.stdin?.write(`${line}\n`);
  }

  /** Waits until the output (from `from` on) matches; returns the match. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 60_000): Promise<RegExpExecArray> {
    let match: RegExpExecArray | null = null;
    await this.#until(
      () => {
        match = pattern.exec(this.#stdout.slice(from));
        return match !== null;
      },
      timeoutMs,
      `output matching ${pattern}`,
    );
    return match as unknown as RegExpExecArray;
  }

  /** Waits until stderr matches; returns the match. */
  async waitForError(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    let match: RegExpExecArray | null = null;
    await this.#until(
      () => {
        match = pattern.exec(this.#stderr);
        return match !== null;
      },
      timeoutMs,
      `stderr matching ${pattern}`,
    );
    return match as unknown as RegExpExecArray;
  }

  /** Ends input (the simulator then exits 0) and waits for the process. */
  async stop(): Promise<number | null> {
    this.#child.stdin?.end();
    const timer = setTimeout(() => this.#child.kill("SIGKILL"), 20_000);
    const code = await this.#exited;
    clearTimeout(timer);
    return code;
  }

  async #until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const started = Date.now();
    while (!done()) {
      if (this.#child.exitCode !== null)
        throw new Error(`simulator ${this.user} exited (${this.#child.exitCode}) before ${what}:\n${this.#stderr}`);
      if (Date.now() - started > timeoutMs)
        throw new Error(
          `simulator ${this.user}: no ${what} in ${timeoutMs} ms.\nstdout:\n${this.#stdout}\nstderr:\n${this.#stderr}`,
        );
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
