import type { IncomingMessage } from 'node:http';
import type { BatchStore } from './batch-store';
import type { Reply } from './http-reply';
import type { RecipientZones } from './recipient-zones';
import type { LoggedRequest } from './request-log';
import type { SimulatorSettings } from './settings';

/** What a route handler gets: the request, the moment it is processed at, and the simulator's state. */
export interface HandlerContext {
  req: IncomingMessage;
  /** The simulator's clock when processing began; one instant for the whole answer, so it is consistent. */
  nowMs: number;
  /** The path's captured segments (a batch id, an agent id). */
  params: readonly string[];
  query: URLSearchParams;
  /** The request's log entry, which handlers complete with the form fields and the batch concerned. */
  entry: LoggedRequest;
  settings: SimulatorSettings;
  store: BatchStore;
  /** Where recipients' time zones come from, for the settings that follow their local time. */
  recipientZones: RecipientZones;
}

export type Handler = (context: HandlerContext) => Promise<Reply> | Reply;
