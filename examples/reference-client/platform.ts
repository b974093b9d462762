/**
 * The sandbox's connection-test session API, as the reference client uses it: a test citizen's sign-in and
 * consent driven without a browser, and the platform-side actions a test plan asks for (the citizen
 * withdraws consent, unpairs the service; the platform refuses the next push). Authenticated by a personal
 * API token of a member of the publisher's organisation (`Authorization: Bearer mesref_pat_…`).
 */

export type PlatformAction = 'withdraw-consent' | 'unpair' | 'refuse-next-push';

export class SessionApi {
  constructor(
    private readonly baseUrl: string,
    readonly sessionId: string,
    private readonly headers: Record<string, string>,
  ) {}

  private async post(
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${this.baseUrl}/api/v1/conformance/sessions/${this.sessionId}${path}`, {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: res.status, body: answer };
  }

  /**
   * The test citizen signs in and answers the consent page of this authorization request, as in a browser:
   * returns where the browser would be sent back (the redirect URI with `code` and `state`, or `error`).
   */
  async authorize(input: {
    authorizationUrl: string;
    citizen: string;
    finalites: string[];
    decision: 'autoriser' | 'refuser';
  }): Promise<string> {
    const res = await this.post('/authorize', input);
    if (res.status !== 200 || typeof res.body.redirectTo !== 'string') {
      throw new Error(`authorize: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body.redirectTo;
  }

  /** A platform-side action, effective at once. */
  async act(input: { action: PlatformAction; citizen: string; category?: string }): Promise<void> {
    const res = await this.post('/actions', input);
    if (res.status !== 201)
      throw new Error(`action ${input.action}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}
