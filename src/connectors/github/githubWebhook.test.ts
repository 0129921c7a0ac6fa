import { describe, expect, it } from 'vitest';
import { parseGithubWebhook } from './githubWebhook.js';

const headers = (event: string) => ({ 'x-github-event': event, 'x-github-delivery': 'd-1' });
const body = (issue: Record<string, unknown>) =>
  Buffer.from(
    JSON.stringify({
      issue,
      comment: { updated_at: '2026-12-01T10:00:00Z' },
      repository: { full_name: 'acme/widgets' },
    }),
  );

describe('parseGithubWebhook', () => {
  it('names the issue of an issue comment', () => {
    expect(parseGithubWebhook(body({ number: 7 }), headers('issue_comment'), 'acme/widgets')).toMatchObject({
      issueIds: ['7'],
      deliveryId: 'd-1',
    });
  });

  it('ignores a comment on a pull request (the issues API reports those too)', () => {
    const pr = body({ number: 8, pull_request: { url: 'https://api.github.com/repos/acme/widgets/pulls/8' } });
    expect(parseGithubWebhook(pr, headers('issue_comment'), 'acme/widgets')).toBeNull();
    expect(parseGithubWebhook(pr, headers('issues'), 'acme/widgets')).toBeNull();
  });
});
