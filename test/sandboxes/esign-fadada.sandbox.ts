import { createHash, createHmac, randomUUID } from 'node:crypto';
import { header, jsonObject, postCallback, startSandbox, type CallbackDelivery, type Sandbox, type SandboxRequest } from './sandbox-server';

/**
 * 法大大 FASC OpenAPI 5.1, the two calls the hub makes and the task events it sends
 * (https://dev.fadada.com): form posts with `bizContent`, X-FASC-* headers signed by the two-step
 * HMAC recipe (recomputed here from the docs, not with the connector's code), a timestamp within
 * 5 minutes, a nonce never reused within 10 minutes, and an access token from
 * `/service/get-access-token` (a stale one is answered HTTP 401 + 100002, as 法大大 does).
 * Task creation has no idempotency key: each accepted request makes a new task.
 */

interface Task {
  readonly orderId: string;
  readonly subject: string;
  /** The text filled into the acceptance field. */
  readonly acceptance: string;
}

export interface EsignFadadaSandbox extends Sandbox {
  readonly tasks: ReadonlyMap<string, Task>;
  /** Makes every token issued so far invalid, as 法大大 does after expiry. */
  expireTokens(): void;
  /**
   * Sends a task event for a task to `url`, signed like 法大大's callbacks.
   * @defaultValue event 'sign-task-finished'
   */
  completeSigning(url: string, signTaskId: string, options?: { event?: string; duplicate?: boolean }): Promise<CallbackDelivery[]>;
}

const WINDOW_MS = 5 * 60 * 1000;
/** Every X-FASC-* request header but the signature itself, spelt as 法大大 sorts and signs them. */
const SIGNED_HEADERS = ['X-FASC-App-Id', 'X-FASC-Sign-Type', 'X-FASC-Timestamp', 'X-FASC-Nonce', 'X-FASC-Api-SubVersion', 'X-FASC-AccessToken', 'X-FASC-Grant-Type'];

function sign(params: Readonly<Record<string, string | undefined>>, timestamp: string, secret: string): string {
  const joined = Object.keys(params)
    .filter((key) => params[key])
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join('&');
  const key = createHmac('sha256', secret).update(timestamp).digest();
  return createHmac('sha256', key).update(createHash('sha256').update(joined).digest('hex')).digest('hex');
}

export async function startEsignFadadaSandbox(options: { readonly appId: string; readonly appSecret: string }): Promise<EsignFadadaSandbox> {
  const tasks = new Map<string, Task>();
  const tokens = new Set<string>();
  const nonces = new Set<string>();
  const fail = (code: string, msg: string, status = 200) => ({ status, body: { code, msg, data: null, success: false } });

  const check = (request: SandboxRequest) => {
    const params: Record<string, string | undefined> = Object.fromEntries(SIGNED_HEADERS.map((name) => [name, header(request, name)]));
    params.bizContent = new URLSearchParams(request.body).get('bizContent') ?? undefined;
    const timestamp = params['X-FASC-Timestamp'] ?? '';
    const nonce = params['X-FASC-Nonce'] ?? '';
    if (params['X-FASC-App-Id'] !== options.appId) return fail('100001', '未获取有效的平台信息');
    if (!(Math.abs(Date.now() - Number(timestamp)) <= WINDOW_MS)) return fail('100001', '请求已过期');
    if (nonces.has(nonce) || nonce.length === 0 || nonce.length > 32) return fail('100006', '随机数无效');
    nonces.add(nonce);
    if (header(request, 'x-fasc-sign') !== sign(params, timestamp, options.appSecret)) return fail('100004', '签名校验失败');
    request.verified = true;
    if (request.path.endsWith('/service/get-access-token')) return undefined;
    if (!tokens.has(params['X-FASC-AccessToken'] ?? '')) return fail('100002', '访问凭证失效', 401);
    const biz = jsonObject(params.bizContent ?? '');
    if (typeof biz?.transReferenceId !== 'string') return fail('210002', '参数错误: transReferenceId');
    request.reference = biz.transReferenceId;
    return undefined;
  };

  const sandbox = await startSandbox([
    {
      method: 'POST',
      path: '/api/v5/service/get-access-token',
      check,
      commit: () => {
        const accessToken = randomUUID().replace(/-/g, '');
        tokens.add(accessToken);
        return { body: { code: '100000', msg: '请求成功', data: { accessToken, expiresIn: '7200' } } };
      },
    },
    {
      method: 'POST',
      path: '/api/v5/sign-task/create-with-template',
      check,
      commit: (request) => {
        const biz = jsonObject(new URLSearchParams(request.body).get('bizContent') ?? '') as {
          transReferenceId: string;
          signTaskSubject: string;
          actors: { fillFields?: { fieldValue: string }[] }[];
        };
        const signTaskId = `1656657193146${String(tasks.size + 1).padStart(6, '0')}`;
        const acceptance = biz.actors.flatMap((a) => a.fillFields ?? []).map((f) => f.fieldValue).join('\n');
        tasks.set(signTaskId, { orderId: biz.transReferenceId, subject: biz.signTaskSubject, acceptance });
        return { body: { code: '100000', msg: '请求成功', data: { signTaskId } } };
      },
    },
  ]);

  return {
    ...sandbox,
    url: `${sandbox.url}/api/v5`,
    tasks,
    expireTokens: () => tokens.clear(),
    async completeSigning(url, signTaskId, sendOptions = {}) {
      const task = tasks.get(signTaskId);
      if (!task) throw new Error(`sandbox created no task ${signTaskId}`);
      const event = sendOptions.event ?? 'sign-task-finished';
      const statusAfter: Readonly<Record<string, string>> = { 'sign-task-finished': 'task_finished', 'sign-task-expire': 'expired' };
      const bizContent = JSON.stringify({ eventTime: String(Date.now()), signTaskId, signTaskStatus: statusAfter[event] ?? 'task_terminated', transReferenceId: task.orderId });
      const results: CallbackDelivery[] = [];
      // A duplicate is one of 法大大's retries (3m, 30m, 8h): same content, fresh timestamp and nonce.
      for (let copy = 0; copy < (sendOptions.duplicate ? 2 : 1); copy += 1) {
        const headers = { 'X-FASC-App-Id': options.appId, 'X-FASC-Sign-Type': 'HMAC-SHA256', 'X-FASC-Timestamp': String(Date.now()), 'X-FASC-Nonce': randomUUID().replace(/-/g, ''), 'X-FASC-Event': event };
        const signature = sign({ ...headers, bizContent }, headers['X-FASC-Timestamp'], options.appSecret);
        results.push(await postCallback(url, new URLSearchParams({ bizContent }).toString(), { ...headers, 'X-FASC-Sign': signature, 'content-type': 'application/x-www-form-urlencoded' }));
      }
      return results;
    },
  };
}
