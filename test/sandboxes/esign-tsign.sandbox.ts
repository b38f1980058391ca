import { createHash, createHmac } from 'node:crypto';
import { header, jsonObject, postCallback, startSandbox, withQueryOf, type CallbackDelivery, type Sandbox, type SandboxRequest } from './sandbox-server';

/**
 * e签宝 open platform v3, the two calls the hub makes and the callback it sends
 * (https://open.esign.cn/doc/opendoc/dev-guide3/el34xh): every request must carry App-Id,
 * Auth-Mode Signature, a millisecond timestamp within 15 minutes, a Content-MD5 matching the body
 * and an X-Tsign-Open-Ca-Signature over the documented string-to-sign — all recomputed here from the
 * docs, not with the connector's code. Refusals look like e签宝's gateway: HTTP 401 with
 * `{"success":false,"code":401,…}`. There is no idempotency key: each accepted create-by-file starts
 * a new flow, and `duplicateReferences()` shows an order that got two.
 */

interface Flow {
  readonly orderId: string;
  readonly notifyUrl: string;
  readonly title: string;
}

export interface EsignTsignSandbox extends Sandbox {
  /** Filled template texts by file id. */
  readonly files: ReadonlyMap<string, string>;
  readonly flows: ReadonlyMap<string, Flow>;
  /**
   * Sends SIGN_FLOW_COMPLETE for a flow to `url` plus the query of the flow's notifyUrl, signed
   * hex(HMAC-SHA256(secret, timestamp + query values + body)). `status` is e签宝's signFlowStatus.
   */
  completeSigning(url: string, flowId: string, options?: { status?: '2' | '3' | '5' | '7'; duplicate?: boolean }): Promise<CallbackDelivery[]>;
}

/** e签宝 accepts request timestamps within 15 minutes of its clock. */
const REQUEST_WINDOW_MS = 15 * 60 * 1000;

export async function startEsignTsignSandbox(options: { readonly appId: string; readonly appSecret: string }): Promise<EsignTsignSandbox> {
  const files = new Map<string, string>();
  const flows = new Map<string, Flow>();
  const refuse = (message: string) => ({ status: 401, body: { success: false, code: 401, message } });

  const check = (request: SandboxRequest) => {
    const md5 = createHash('md5').update(request.body, 'utf8').digest('base64');
    const sts = `POST\n${header(request, 'accept') ?? ''}\n${header(request, 'content-md5') ?? ''}\n${header(request, 'content-type') ?? ''}\n\n${request.path}`;
    const expected = createHmac('sha256', options.appSecret).update(sts, 'utf8').digest('base64');
    const timestamp = Number(header(request, 'x-tsign-open-ca-timestamp'));
    if (header(request, 'x-tsign-open-auth-mode') !== 'Signature') return refuse('TOKEN_CANT_BE_NULL');
    if (header(request, 'x-tsign-open-app-id') !== options.appId) return refuse('无效的应用');
    if (!(Math.abs(Date.now() - timestamp) <= REQUEST_WINDOW_MS)) return refuse('请求已过期');
    if (header(request, 'content-md5') !== md5 || header(request, 'x-tsign-open-ca-signature') !== expected) return refuse('INVALID_SIGNATURE');
    request.verified = true;
    const body = jsonObject(request.body);
    if (!body) return { body: { code: 1435002, message: '参数错误: body', data: null } };
    if (request.path.endsWith('/create-by-file')) {
      const notifyUrl = (body.signFlowConfig as { notifyUrl?: string } | undefined)?.notifyUrl;
      const fileId = (body.docs as { fileId?: string }[] | undefined)?.[0]?.fileId;
      if (!notifyUrl || !fileId || !files.has(fileId)) return { body: { code: 1435002, message: '参数错误: docs/notifyUrl', data: null } };
      request.reference = new URL(notifyUrl).searchParams.get('orderId') ?? undefined;
    }
    return undefined;
  };

  const sandbox = await startSandbox([
    {
      method: 'POST',
      path: '/v3/files/create-by-doc-template',
      check,
      commit: (request) => {
        const body = jsonObject(request.body) as { components: { componentValue: string }[] };
        const fileId = `file${String(files.size + 1).padStart(8, '0')}`;
        files.set(fileId, body.components.map((c) => c.componentValue).join('\n'));
        return { body: { code: 0, message: '成功', data: { fileId, fileDownloadUrl: `https://esignoss.esign.cn/${fileId}.pdf` } } };
      },
    },
    {
      method: 'POST',
      path: '/v3/sign-flow/create-by-file',
      check,
      commit: (request) => {
        const body = jsonObject(request.body) as { signFlowConfig: { notifyUrl: string; signFlowTitle: string } };
        const signFlowId = `flow${String(flows.size + 1).padStart(8, '0')}`;
        flows.set(signFlowId, { orderId: request.reference as string, notifyUrl: body.signFlowConfig.notifyUrl, title: body.signFlowConfig.signFlowTitle });
        return { body: { code: 0, message: '成功', data: { signFlowId } } };
      },
    },
  ]);

  return {
    ...sandbox,
    files,
    flows,
    async completeSigning(url, flowId, sendOptions = {}) {
      const flow = flows.get(flowId);
      if (!flow) throw new Error(`sandbox started no flow ${flowId}`);
      const now = Date.now();
      const body = JSON.stringify({
        action: 'SIGN_FLOW_COMPLETE',
        timestamp: now,
        signFlowId: flowId,
        signFlowTitle: flow.title,
        signFlowStatus: sendOptions.status ?? '2',
        statusDescription: '完成',
        signFlowCreateTime: now - 60_000,
        signFlowFinishTime: now,
      });
      const target = withQueryOf(url, flow.notifyUrl);
      const query = new URL(target).searchParams;
      const values = [...query.keys()].sort().map((key) => query.get(key) ?? '').join('');
      const results: CallbackDelivery[] = [];
      // A duplicate is a retry: the same body, signed again with a fresh timestamp.
      for (let copy = 0; copy < (sendOptions.duplicate ? 2 : 1); copy += 1) {
        const timestamp = String(Date.now());
        results.push(
          await postCallback(target, body, {
            'content-type': 'application/json',
            'X-Tsign-Open-App-Id': options.appId,
            'X-Tsign-Open-TIMESTAMP': timestamp,
            'X-Tsign-Open-SIGNATURE-ALGORITHM': 'hmac-sha256',
            'X-Tsign-Open-SIGNATURE': createHmac('sha256', options.appSecret).update(timestamp + values + body, 'utf8').digest('hex'),
          }),
        );
      }
      return results;
    },
  };
}
