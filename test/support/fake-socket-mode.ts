/**
 * A local Slack Socket Mode endpoint, for running the Bolt app with `socketMode: true` against the fake Slack.
 *
 * Matches what @slack/socket-mode 3.x (SocketModeClient + SlackWebSocket) does:
 *   1. the client calls `apps.connections.open` with its xapp- token → the fake Slack (hooked up here with a persistent
 *      `setHandler`) answers `{ ok: true, url: "ws://127.0.0.1:PORT/link/?ticket=…&app_id=…" }`; tickets are
 *      single-use and an unknown ticket is refused at the upgrade (HTTP 401), as Slack does;
 *   2. on connect the server sends `{ type: "hello", num_connections, debug_info, connection_info: { app_id } }`,
 *      which is what resolves `SocketModeClient.start()`;
 *   3. `sendEnvelope()` sends `{ envelope_id, type, accepts_response_payload, payload, retry_attempt, retry_reason }`
 *      and resolves with the client's ack `{ envelope_id, payload? }`;
 *   4. heartbeats: `ws` answers the client's pings with pongs (the client disconnects after ~4 unanswered ones), and
 *      the server pings every `pingIntervalMs` (once pinged, the client expects another within serverPingTimeout);
 *   5. `sendDisconnect()` sends Slack's `{ type: "disconnect", reason }`; the client then closes and reconnects.
 *
 * Shut down in this order: stop the app (SocketModeClient.disconnect / app.stop), then `socket.close()`, then the
 * fake Slack — otherwise an auto-reconnecting client keeps calling apps.connections.open.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { isRecord, type FakeSlack } from "./fake-slack.js";

export type EnvelopeType = "slash_commands" | "interactive" | "events_api";

export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType | string;
  accepts_response_payload: boolean;
  payload: unknown;
  retry_attempt: number;
  retry_reason: string;
}

export interface SocketAck {
  envelope_id: string;
  /** What the app passed to ack() (SocketModeClient always sends an object, `{}` for a bare ack()). */
  payload?: unknown;
  at: number;
}

export interface SendEnvelopeOptions {
  envelopeId?: string;
  /** Default: false for events_api (as Slack sends it), true otherwise. */
  acceptsResponsePayload?: boolean;
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for a connection and then for the ack. Default 5000. */
  timeoutMs?: number;
}

export interface FakeSocketModeOptions {
  /** Default: the fake Slack's appId. */
  appId?: string;
  /** When set, apps.connections.open only accepts this app token (others → invalid_auth). */
  appToken?: string;
  /** Server → client ping period; 0 disables. Default 5000. */
  pingIntervalMs?: number;
}

interface PendingAck {
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class FakeSocketMode {
  /** `ws://127.0.0.1:PORT/link/` */
  readonly url: string;
  readonly port: number;
  readonly appId: string;
  /** Every envelope sent. */
  readonly sent: SocketEnvelope[] = [];
  /** Every ack received. */
  readonly acks: SocketAck[] = [];
  /** Every message received from clients (parsed JSON, or the raw string when it isn't JSON). */
  readonly received: unknown[] = [];
  /** Tickets handed out by apps.connections.open (used or not). */
  readonly issuedTickets: string[] = [];
  /** How many connections were ever accepted. */
  connectionsOpened = 0;
  pingsReceived = 0;
  pongsReceived = 0;

  private readonly wss: WebSocketServer;
  private readonly fake: FakeSlack;
  private readonly options: FakeSocketModeOptions;
  private readonly sockets = new Set<WebSocket>();
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, PendingAck>();
  private readonly connectionWaiters = new Set<() => void>();
  private closed = false;

  /** Use `startFakeSocketMode()`. */
  constructor(wss: WebSocketServer, fake: FakeSlack, options: FakeSocketModeOptions) {
    this.wss = wss;
    this.fake = fake;
    this.options = options;
    this.port = (wss.address() as AddressInfo).port;
    this.url = `ws://127.0.0.1:${this.port}/link/`;
    this.appId = options.appId ?? fake.appId;
    wss.on("connection", (socket: WebSocket) => this.onConnection(socket));
    fake.setHandler(
      "apps.connections.open",
      (_body, { call }) => {
        if (this.closed) return { ok: false, error: "internal_error" };
        if (this.options.appToken !== undefined && call.token !== this.options.appToken) return { ok: false, error: "invalid_auth" };
        const ticket = randomUUID();
        this.tickets.add(ticket);
        this.issuedTickets.push(ticket);
        return { ok: true, url: `${this.url}?ticket=${ticket}&app_id=${this.appId}` };
      },
      { persistent: true },
    );
  }

  /** Open connections. */
  get connectionCount(): number {
    return [...this.sockets].filter((socket) => socket.readyState === WebSocket.OPEN).length;
  }

  /** Called by the WebSocketServer before accepting an upgrade. */
  verify(req: IncomingMessage): boolean {
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${this.port}`);
    const ticket = url.searchParams.get("ticket");
    if (this.closed || url.pathname !== "/link/" || ticket === null || !this.tickets.has(ticket)) return false;
    this.tickets.delete(ticket);
    return true;
  }

  /** Resolves once a client is connected (hello sent). */
  waitForConnection(timeoutMs = 5000): Promise<void> {
    if (this.openSocket()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onConnect = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connectionWaiters.delete(onConnect);
        reject(new Error(`fake-socket-mode: no client connected within ${timeoutMs}ms`));
      }, timeoutMs);
      this.connectionWaiters.add(onConnect);
    });
  }

  /**
   * Send an envelope to the most recently connected client and resolve with its ack.
   * Waits (within `timeoutMs`) for a connection when none is open yet.
   */
  async sendEnvelope(type: EnvelopeType, payload: unknown, options: SendEnvelopeOptions = {}): Promise<SocketAck> {
    const timeoutMs = options.timeoutMs ?? 5000;
    const started = Date.now();
    await this.waitForConnection(timeoutMs);
    const socket = this.openSocket();
    if (!socket) throw new Error("fake-socket-mode: no open connection");
    const envelope: SocketEnvelope = {
      envelope_id: options.envelopeId ?? randomUUID(),
      type,
      accepts_response_payload: options.acceptsResponsePayload ?? type !== "events_api",
      payload,
      retry_attempt: options.retryAttempt ?? 0,
      retry_reason: options.retryReason ?? "",
    };
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    const ack = new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelope.envelope_id);
        reject(new Error(`fake-socket-mode: no ack for ${type} envelope ${envelope.envelope_id} within ${timeoutMs}ms`));
      }, remaining);
      this.pending.set(envelope.envelope_id, { resolve, reject, timer });
    });
    this.sent.push(envelope);
    socket.send(JSON.stringify(envelope));
    return ack;
  }

  /** Send any frame (object → JSON) to every open client, e.g. to test malformed messages. */
  sendRaw(message: unknown): void {
    const data = typeof message === "string" ? message : JSON.stringify(message);
    for (const socket of this.sockets) if (socket.readyState === WebSocket.OPEN) socket.send(data);
  }

  /** Slack's "please reconnect" message (reasons: warning, refresh_requested, link_disabled). */
  sendDisconnect(reason = "refresh_requested"): void {
    this.sendRaw({ type: "disconnect", reason, debug_info: { host: "applink-fake-1" } });
  }

  /** Drop every connection without a close handshake (network failure). */
  terminateConnections(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.fake.clearHandler("apps.connections.open");
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`fake-socket-mode closed before envelope ${id} was acked`));
    }
    this.pending.clear();
    await Promise.all(
      [...this.sockets].map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === WebSocket.CLOSED) return resolve();
            const force = setTimeout(() => {
              socket.terminate();
              resolve();
            }, 1000);
            socket.once("close", () => {
              clearTimeout(force);
              resolve();
            });
            socket.close(1001, "server shutting down");
          }),
      ),
    );
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private openSocket(): WebSocket | undefined {
    let latest: WebSocket | undefined;
    for (const socket of this.sockets) if (socket.readyState === WebSocket.OPEN) latest = socket;
    return latest;
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    this.connectionsOpened += 1;
    socket.on("ping", () => {
      this.pingsReceived += 1;
    });
    socket.on("pong", () => {
      this.pongsReceived += 1;
    });
    socket.on("message", (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
    const interval = this.options.pingIntervalMs ?? 5000;
    const pinger =
      interval > 0
        ? setInterval(() => {
            if (socket.readyState === WebSocket.OPEN) socket.ping(Buffer.from(`ping-${Date.now()}`));
          }, interval)
        : undefined;
    pinger?.unref();
    socket.on("close", () => {
      clearInterval(pinger);
      this.sockets.delete(socket);
    });
    socket.on("error", () => undefined);
    socket.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.connectionCount,
        debug_info: { host: "applink-fake-1", build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    for (const waiter of [...this.connectionWaiters]) {
      this.connectionWaiters.delete(waiter);
      waiter();
    }
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.received.push(data);
      return;
    }
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString("utf8")
      : Buffer.isBuffer(data)
        ? data.toString("utf8")
        : Buffer.from(data).toString("utf8");
    let message: unknown;
    try {
      message = JSON.parse(text) as unknown;
    } catch {
      this.received.push(text);
      return;
    }
    this.received.push(message);
    if (!isRecord(message) || typeof message.envelope_id !== "string") return;
    const ack: SocketAck = {
      envelope_id: message.envelope_id,
      ...("payload" in message ? { payload: message.payload } : {}),
      at: Date.now(),
    };
    this.acks.push(ack);
    const pending = this.pending.get(ack.envelope_id);
    if (pending) {
      clearTimeout(pending.timer);
      this.pending.delete(ack.envelope_id);
      pending.resolve(ack);
    }
  }
}

/** Start a Socket Mode endpoint on 127.0.0.1 and hook `apps.connections.open` on `fake` up to it. */
export async function startFakeSocketMode(fake: FakeSlack, options: FakeSocketModeOptions = {}): Promise<FakeSocketMode> {
  const ref: { instance?: FakeSocketMode } = {};
  const wss = await new Promise<WebSocketServer>((resolve, reject) => {
    const server: WebSocketServer = new WebSocketServer({
      host: "127.0.0.1",
      port: 0,
      verifyClient: (info: { req: IncomingMessage }, callback: (ok: boolean, code?: number, message?: string) => void) => {
        if (ref.instance?.verify(info.req)) callback(true);
        else callback(false, 401, "invalid_ticket");
      },
    });
    server.once("listening", () => {
      server.off("error", reject);
      resolve(server);
    });
    server.once("error", reject);
  });
  ref.instance = new FakeSocketMode(wss, fake, options);
  return ref.instance;
}
