import { credentials, loadPackageDefinition, Metadata, Server, ServerCredentials, status, type Client, type ClientDuplexStream, type ClientReadableStream, type GrpcObject, type ServiceClientConstructor, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall, type ServerWritableStream, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** Message of the Echo test service. */
export interface EchoRequest {
  text: string;
  times?: number;
}

/** Reply of the Echo test service. */
export interface EchoReply {
  text: string;
  pod: string;
}

const definition = loadSync(new URL('./echo.proto', import.meta.url).pathname, { keepCase: true, defaults: true });
const Echo = ((loadPackageDefinition(definition).ebb as GrpcObject).test as GrpcObject).Echo as ServiceClientConstructor;

/** A gRPC Echo backend ("pod") on `address` (any 127.x.y.z), counting calls in flight. */
export interface GrpcBackend {
  readonly address: string;
  readonly port: number;
  inFlight: number;
  maxInFlight: number;
  /** Calls received, as `<method> <text>`. */
  readonly received: string[];
  close(): Promise<void>;
}

/**
 * Starts the Echo service: `Say` answers `<text>` (text `fail` answers NOT_FOUND with trailer metadata
 * `x-why: test`; text `slow:<ms>` answers after that many ms), `Count` streams `times` replies, `Chat` echoes each
 * message.
 */
export async function startGrpcBackend(address: string, pod: string, listenPort = 0): Promise<GrpcBackend> {
  const server = new Server();
  const backend: GrpcBackend = {
    address,
    port: 0,
    inFlight: 0,
    maxInFlight: 0,
    received: [],
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())).then(() => server.forceShutdown()),
  };
  const enter = (method: string, text: string): (() => void) => {
    backend.received.push(`${method} ${text}`);
    backend.inFlight++;
    backend.maxInFlight = Math.max(backend.maxInFlight, backend.inFlight);
    let left = false;
    return () => {
      if (!left) backend.inFlight--;
      left = true;
    };
  };
  server.addService(Echo.service, {
    Say(call: ServerUnaryCall<EchoRequest, EchoReply>, callback: sendUnaryData<EchoReply>) {
      const leave = enter('Say', call.request.text);
      if (call.request.text === 'fail') {
        const md = new Metadata();
        md.set('x-why', 'test');
        leave();
        return callback({ code: status.NOT_FOUND, details: 'no such thing', metadata: md });
      }
      const slow = /^slow:(\d+)$/.exec(call.request.text);
      setTimeout(() => {
        leave();
        callback(null, { text: call.request.text, pod });
      }, slow ? Number(slow[1]) : 0);
    },
    Count(call: ServerWritableStream<EchoRequest, EchoReply>) {
      const leave = enter('Count', call.request.text);
      for (let i = 1; i <= (call.request.times ?? 0); i++) call.write({ text: `${call.request.text} ${i}`, pod });
      leave();
      call.end();
    },
    Chat(call: ServerDuplexStream<EchoRequest, EchoReply>) {
      const leave = enter('Chat', '');
      call.on('data', (r: EchoRequest) => call.write({ text: `echo ${r.text}`, pod }));
      call.on('end', () => {
        leave();
        call.end();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${address}:${listenPort}`, ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  (backend as { port: number }).port = port;
  return backend;
}

/** The Echo client's calls. */
export interface EchoClient extends Client {
  Say(req: EchoRequest, options: { deadline: Date }, callback: (err: ServiceError | null, reply?: EchoReply) => void): unknown;
  Count(req: EchoRequest, options: { deadline: Date }): ClientReadableStream<EchoReply>;
  Chat(options: { deadline: Date }): ClientDuplexStream<EchoRequest, EchoReply>;
}

/** A gRPC Echo client for `127.0.0.1:<port>` (the gateway) with `:authority` `host`. */
export function echoClient(port: number, host: string): EchoClient {
  return new Echo(`127.0.0.1:${port}`, credentials.createInsecure(), { 'grpc.default_authority': host }) as unknown as EchoClient;
}

/** A unary `Say` call: its reply, or its error (code, details, trailer metadata). */
export function say(client: EchoClient, text: string, deadlineMs = 10_000): Promise<{ reply?: EchoReply; error?: ServiceError }> {
  return new Promise((resolve) => {
    client.Say({ text }, { deadline: new Date(Date.now() + deadlineMs) }, (err, reply) => resolve(err ? { error: err } : { ...(reply ? { reply } : {}) }));
  });
}

/** Every reply of a streaming call, or its error. */
export function collect(stream: ClientReadableStream<EchoReply> | ClientDuplexStream<EchoRequest, EchoReply>): Promise<{ replies: EchoReply[]; error?: ServiceError }> {
  return new Promise((resolve) => {
    const replies: EchoReply[] = [];
    stream.on('data', (r: EchoReply) => replies.push(r));
    stream.on('error', (error: ServiceError) => resolve({ replies, error }));
    stream.on('end', () => resolve({ replies }));
  });
}
