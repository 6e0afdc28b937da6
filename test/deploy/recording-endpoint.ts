// An HTTP endpoint on 127.0.0.1 that records every request and refuses it: pointed at with
// --endpoint-url, it proves whether a command called AWS at all.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingEndpoint {
  readonly url: string;
  /** Request lines received so far, e.g. `POST / Action=CreateChangeSet`. */
  readonly requests: string[];
  close(): Promise<void>;
}

// An AWS-shaped error, so the CLI fails at once instead of retrying.
const REFUSAL =
  '<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>recorded and refused by the test endpoint</Message></Error></ErrorResponse>';

export async function startRecordingEndpoint(): Promise<RecordingEndpoint> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const action = /Action=([A-Za-z]+)/.exec(body)?.[1];
      requests.push(`${request.method} ${request.url}${action ? ` Action=${action}` : ''}`);
      response.writeHead(400, { 'Content-Type': 'text/xml' }).end(REFUSAL);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
