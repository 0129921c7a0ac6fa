import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import {
  fieldsToGithub,
  issueFromGithub,
  numberFromIssueUrl,
  stateFromGithub,
  stateToGithub,
  type GhIssue,
} from './githubMapping.js';
import { parseGithubWebhook, verifyGithubSignature } from './githubWebhook.js';
import { withMarker } from '../connector.js';

const issue = (over: Partial<GhIssue> = {}): GhIssue => ({
  number: 7,
  id: 1007,
  html_url: 'https://github.com/acme/widgets/issues/7',
  title: 'Fix it',
  body: 'Steps',
  state: 'open',
  state_reason: null,
  labels: ['bug', { name: 'ui' }],
  assignee: null,
  assignees: [{ login: 'octocat' }],
  parent_issue_url: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-02T00:00:00Z',
  ...over,
});

describe('GitHub state mapping', () => {
  it('maps open/closed and the close reason to categories', () => {
    expect(stateFromGithub('open', null)).toBe('unstarted');
    expect(stateFromGithub('open', 'reopened')).toBe('unstarted');
    expect(stateFromGithub('closed', 'completed')).toBe('completed');
    expect(stateFromGithub('closed', null)).toBe('completed');
    expect(stateFromGithub('closed', 'not_planned')).toBe('canceled');
    expect(stateFromGithub('closed', 'duplicate')).toBe('canceled');
  });
  it('maps categories to open or closed with a reason', () => {
    expect(stateToGithub('completed')).toEqual({ state: 'closed', state_reason: 'completed' });
    expect(stateToGithub('canceled')).toEqual({ state: 'closed', state_reason: 'not_planned' });
    for (const s of ['triage', 'backlog', 'unstarted', 'started'] as const)
      expect(stateToGithub(s)).toEqual({ state: 'open' });
  });
});

describe('GitHub issue mapping', () => {
  it('normalizes an issue and strips the Tack marker', () => {
    const r = issueFromGithub(
      issue({ body: withMarker('Steps', 'tk-12'), parent_issue_url: 'http://x/repos/acme/widgets/issues/3' }),
      {
        comments: [
          { id: 55, body: withMarker('hi', 'c-1'), user: { login: 'hubot' }, created_at: '2026-01-03T00:00:00Z' },
        ],
        blocking: [9],
      },
    );
    expect(r).toMatchObject({
      id: '7',
      key: '#7',
      title: 'Fix it',
      description: 'Steps',
      state: 'unstarted',
      labels: ['bug', 'ui'],
      assignee: 'octocat',
      parent: '3',
      tackId: 'tk-12',
    });
    expect(r.relations).toEqual([{ type: 'blocks', target: '9' }]);
    expect(r.comments).toEqual([
      { id: '55', author: 'hubot', body: 'hi', createdAt: '2026-01-03T00:00:00Z', tackId: 'c-1' },
    ]);
    expect(r.priority).toBeUndefined();
    expect(r.due).toBeUndefined();
  });
  it('leaves comments undefined when not fetched and has no tackId without a marker', () => {
    const r = issueFromGithub(issue());
    expect(r.comments).toBeUndefined();
    expect(r.tackId).toBeUndefined();
    expect(r.parent).toBeNull();
  });
  it('builds a PATCH body with only the given fields, keeping the marker on the body', () => {
    expect(fieldsToGithub({ title: 'T' })).toEqual({ title: 'T' });
    expect(fieldsToGithub({ description: 'D', assignee: null, labels: ['a'] }, { marker: 'tk-1' })).toEqual({
      body: withMarker('D', 'tk-1'),
      assignees: [],
      labels: ['a'],
    });
    expect(fieldsToGithub({ state: 'canceled', priority: 'high', due: '2026-02-01' })).toEqual({
      state: 'closed',
      state_reason: 'not_planned',
    });
  });
  it('reads issue numbers from API URLs', () => {
    expect(numberFromIssueUrl('https://api.github.com/repos/a/b/issues/12')).toBe('12');
    expect(numberFromIssueUrl(null)).toBeNull();
  });
});

describe('GitHub webhook signature', () => {
  const body = Buffer.from(
    JSON.stringify({
      action: 'opened',
      issue: { number: 4, updated_at: '2026-01-01T00:00:00Z' },
      repository: { full_name: 'acme/widgets' },
    }),
  );
  const sig = (b: Buffer, secret = 's3cret') => `sha256=${createHmac('sha256', secret).update(b).digest('hex')}`;
  it('accepts exactly the body GitHub signed', () => {
    expect(verifyGithubSignature(body, { 'x-hub-signature-256': sig(body) }, 's3cret')).toBe(true);
  });
  it('rejects a changed body, another secret, a missing prefix or header, and no secret', () => {
    const tampered = Buffer.from(body.toString().replace('"number":4', '"number":5'));
    expect(verifyGithubSignature(tampered, { 'x-hub-signature-256': sig(body) }, 's3cret')).toBe(false);
    expect(verifyGithubSignature(body, { 'x-hub-signature-256': sig(body, 'other') }, 's3cret')).toBe(false);
    expect(verifyGithubSignature(body, { 'x-hub-signature-256': sig(body).slice('sha256='.length) }, 's3cret')).toBe(
      false,
    );
    expect(verifyGithubSignature(body, {}, 's3cret')).toBe(false);
    expect(verifyGithubSignature(body, { 'x-hub-signature-256': sig(body) }, undefined)).toBe(false);
  });
  it('parses issues and issue_comment deliveries of its repository only', () => {
    expect(
      parseGithubWebhook(body, { 'x-github-event': 'issues', 'x-github-delivery': 'd-1' }, 'acme/widgets'),
    ).toEqual({ issueIds: ['4'], deliveryId: 'd-1', at: '2026-01-01T00:00:00Z' });
    expect(parseGithubWebhook(body, { 'x-github-event': 'issues' }, 'other/repo')).toBeNull();
    expect(parseGithubWebhook(body, { 'x-github-event': 'ping' }, 'acme/widgets')).toBeNull();
    expect(parseGithubWebhook(body, { 'x-github-event': 'issues' }, 'acme/widgets')?.deliveryId).toMatch(
      /^[0-9a-f]{64}$/,
    );
  });
});

describe('the fingerprinted updatedAt', () => {
  it('keeps the second, says the same for the same content and differs for changes made within one second', () => {
    const at = '2026-01-02T10:11:12Z';
    const a = issueFromGithub(issue({ updated_at: at })).updatedAt;
    expect(a).toMatch(/^2026-01-02T10:11:12\.\d{6}Z$/);
    expect(issueFromGithub(issue({ updated_at: at })).updatedAt).toBe(a);
    expect(issueFromGithub(issue({ updated_at: at, state: 'closed', state_reason: 'completed' })).updatedAt).not.toBe(
      a,
    );
    // Two hundred edits within one second: with a thousandth of a second for the hash, some
    // would share a time and pass for Tack's own echo.
    const times = Array.from(
      { length: 200 },
      (_, i) => issueFromGithub(issue({ updated_at: at, title: `t${i}` })).updatedAt,
    );
    expect(new Set(times).size).toBe(200);
  });
});
