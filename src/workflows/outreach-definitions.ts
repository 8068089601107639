import { defineQuery, defineSignal } from '@temporalio/workflow';
import { campaignWorkflowId } from './definitions';
import type { CampaignInput } from './definitions';

/**
 * The names and shapes of `outreachCampaign`, a campaign of several waves (each wave one Bolna batch, run by a child
 * `batchCampaign`). Operators type these names into the `temporal` CLI and clients import them: keep them stable.
 * `stop` and `progress` are the same names as `batchCampaign`'s (src/workflows/definitions.ts).
 */

export const outreachWorkflowType = 'outreachCampaign';

/**
 * An outreach campaign's workflow ID (and its Schedule's ID), from its business name: `outreach-<name>`, so an
 * outreach and a batch campaign (`campaign-<name>`) of the same name never collide.
 */
export function outreachWorkflowId(name: string): string {
  return `outreach-${campaignWorkflowId(name).slice('campaign-'.length)}`;
}

/** Statuses of a call that may be retried in a later wave; `voicemail` is a completed call a machine answered. */
export const retryableCallStatuses = ['no-answer', 'busy', 'failed', 'error', 'voicemail'] as const;
export type RetryableCallStatus = (typeof retryableCallStatuses)[number];

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** Calls in a later wave for contacts whose call ended with one of `on`. */
export interface RetryPolicy {
  on: RetryableCallStatus[];
  /** Calls in all, the first included (2 to 10). */
  maxAttempts: number;
  /**
   * The shortest wait before the next attempt, counted from the end of the wave that made the call, written as in
   * Temporal's TypeScript SDK (`'2h'`, `'90 minutes'`). At least Bolna's rounding (10 minutes).
   */
  after: string;
}

/** When contacts may be called, in their own time (or one fixed zone for everybody). */
export interface CallingWindow {
  /** Local time of day, `HH:MM` (24 h), inclusive. */
  start: string;
  /** Local time of day, `HH:MM`, exclusive; after `start` on the same day. */
  end: string;
  /** Days calls may be placed, in the contact's zone. Default every day. */
  days?: Weekday[];
  /**
   * `recipient` (default): each contact's zone, from its `timezone` column when the CSV has one, otherwise from the
   * number (a number whose area spans several zones is called only when the window is open in all of them). Or an
   * IANA zone such as `Asia/Kolkata` for everybody.
   */
  timeZone?: string;
  /** Local dates (`YYYY-MM-DD`) on which nobody is called. */
  holidays?: string[];
}

export interface SpendBudget {
  /** The most the campaign may spend, in Bolna's cost unit (`total_cost`, cents). */
  maxCost: number;
  /** How often a running wave's spend is measured, in minutes (default 5). */
  checkEveryMinutes?: number;
}

/** The campaign ends once `count` contacts' last call extracted `field` equal to `equals`. */
export interface CampaignGoal {
  field: string;
  equals: string | number | boolean;
  count: number;
}

/** The one argument of `outreachCampaign`: a `batchCampaign`'s fields, plus how the waves are run. */
export interface OutreachInput extends Omit<CampaignInput, 'resume'> {
  retry?: RetryPolicy;
  window?: CallingWindow;
  /** ISO 8601 with a zone: no wave starts after it, a running wave is stopped at it, the rest expire. */
  deadline?: string;
  budget?: SpendBudget;
  goal?: CampaignGoal;
  /** Do-not-call lists: CSVs (paths or http(s) URLs) with a `contact_number` column; never sent to Bolna. */
  suppress?: string[];
  /** The most calls one number gets per day, in its own time zone. */
  maxCallsPerNumberPerDay?: number;
  /**
   * Set by `scheduleOutreach`: the zone of the Schedule that starts the run. `{date}` in `csv` stands for the day
   * the run was scheduled for, in this zone (`csvForRun`, src/outreach/csv-for-run.ts). Default UTC.
   */
  scheduleTimeZone?: string;
  /** Internal: the state carried across continue-as-new (refused on a new start). */
  resume?: OutreachState;
}

/** Where each contact of the campaign is. */
export const contactStates = [
  'pending',
  'in-wave',
  'retry-waiting',
  'answered',
  'exhausted',
  'suppressed',
  'expired',
] as const;
export type ContactState = (typeof contactStates)[number];
export type ContactCounts = Record<ContactState, number>;

export const outreachPhases = [
  'preparing',
  'planning',
  'waiting',
  'calling',
  'paused',
  'finishing',
  'completed',
  'stopped',
  'failed',
] as const;
export type OutreachPhase = (typeof outreachPhases)[number];

/** One wave as the campaign saw it: the batch, its contacts, and how it ended. */
export interface WaveSummary {
  number: number;
  /** The child `batchCampaign` that ran it. */
  workflowId: string;
  batchId?: string;
  contacts: number;
  /** When Bolna was asked to start it, and when the wave was to be stopped at the latest (window, deadline). */
  startAt: string;
  stopAt?: string;
  /** Calls per final status, once collected. */
  counts?: Record<string, number>;
  costCents?: number;
  /** `completed`, `stopped` (why in `stopReason`), or `missed` (Bolna could not start it in time). */
  outcome?: 'completed' | 'stopped' | 'missed';
  stopReason?: string;
}

/** Why the campaign ended. */
export type OutreachOutcome = 'completed' | 'stopped' | 'deadline' | 'budget' | 'goal';

/** What the workflow knows; also what it hands to its next run on continue-as-new. */
export interface OutreachState {
  phase: OutreachPhase;
  /** The contact ledger's current version: a location in the results store. */
  ledger?: string;
  contacts: ContactCounts;
  /** Rows in the CSV and its variable columns. */
  rows?: number;
  variableColumns?: string[];
  /** The last waves (at most 50 are kept here; every wave is in the results). */
  waves: WaveSummary[];
  wavesRun: number;
  /** Every wave's batch and collected executions, for the campaign's report. */
  executionsFiles?: { batchId: string; executions: string }[];
  spendCents: number;
  goalReached?: number;
  nextWave?: { at: string; why: string };
  paused: boolean;
  pauseReason?: string;
  stopRequested: boolean;
  stopReason?: string;
  outcome?: OutreachOutcome;
  /** The campaign's search attributes the namespace has registered, asked once: only these are set. */
  searchAttributes?: string[];
  warnings?: string[];
  error?: string;
  results?: OutreachFiles;
}

/** Where the campaign's per-contact results and report were written (paths, or `s3://` URIs). */
export interface OutreachFiles {
  contactsCsv: string;
  contactsJsonl: string;
  reportHtml?: string;
  reportJson?: string;
}

export type OutreachProgress = OutreachState;

export interface OutreachResult {
  outcome: OutreachOutcome;
  stopReason?: string;
  contacts: ContactCounts;
  waves: number;
  spendCents: number;
  goalReached?: number;
  files?: OutreachFiles;
  warnings?: string[];
}

/** Stops the running wave at Bolna; contacts not yet called go back to pending. `resume` goes on. */
export const pauseSignal = defineSignal<[reason?: string]>('pause');
export const resumeSignal = defineSignal('resume');
/** Where the campaign is: contacts by state, waves, spend, the next wave and why then. */
export const outreachProgressQuery = defineQuery<OutreachProgress>('progress');
