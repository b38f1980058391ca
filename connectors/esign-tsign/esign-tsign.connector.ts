import { PermanentPartnerError } from '../../core/errors/partner.error';
import { SignatureError } from '../../core/errors/signature.error';
import type { CallbackRequest, ConnectorDefinition, DeliveryOutcome, DeliveryRequest } from '../connector';
import { postJson, type PartnerReply } from '../shared/http-client';
import { esignTsignConfig, type EsignTsignConfig } from './esign-tsign.config';
import { answerField, flowEvents, signerOf, signFlowRequest, templateFileRequest } from './esign-tsign.mapping';
import { ACCEPT, callbackSignature, CONTENT_TYPE, contentMd5, requestSignature, sameHex, stringToSign } from './tsign.signing';

/**
 * e签宝 (tsign) open platform v3 (https://open.esign.cn/doc/opendoc/dev-guide3/el34xh): on
 * `order.delivered` the acceptance form is made from a template and a signing flow is started on it
 * (two signed requests; the flow id is the partnerRef); the flow's end comes back as a
 * SIGN_FLOW_COMPLETE callback, verified with X-Tsign-Open-SIGNATURE over timestamp, query and raw
 * body, and the X-Tsign-Open-TIMESTAMP tolerance.
 *
 * e签宝 v3 documents no idempotency key: an attempt whose answer was lost after the flow was
 * created leaves a flow the retry does not know of (README.md says how to find and revoke it).
 */

const ACCEPTED_EVENT = 'order.delivered';
/** e签宝 asks receivers to answer exactly this (it does not parse it, but stops retrying on 2xx). */
const ACK = '{"code":"200","msg":"success"}';
const ALGORITHM = 'hmac-sha256';

export const esignTsign = {
  kind: 'esign-tsign',
  summary: 'Starts an e签宝 signing flow for the delivery acceptance form (验收单) on order.delivered and reads its completion callback.',
  config: esignTsignConfig,
  create(config: EsignTsignConfig) {
    const call = (path: string, body: string, signal: AbortSignal): Promise<PartnerReply> => {
      const md5 = contentMd5(body);
      return postJson(
        `${config.baseUrl.replace(/\/+$/, '')}${path}`,
        body,
        {
          'X-Tsign-Open-App-Id': config.appId,
          'X-Tsign-Open-Auth-Mode': 'Signature',
          'X-Tsign-Open-Ca-Timestamp': String(Date.now()),
          'X-Tsign-Open-Ca-Signature': requestSignature(config.appSecret, stringToSign('POST', md5, path)),
          Accept: ACCEPT,
          'content-type': CONTENT_TYPE,
          'Content-MD5': md5,
        },
        { timeoutMs: config.timeoutMs, signal },
      );
    };

    return {
      id: config.id,
      kind: 'esign-tsign',
      target: {
        async deliver({ event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
          if (event !== ACCEPTED_EVENT) throw new PermanentPartnerError(`esign-tsign starts acceptance signing on ${ACCEPTED_EVENT} only, not ${event}`);
          const notifyUrl = new URL(config.callbackUrl);
          notifyUrl.searchParams.set('orderId', order.id);
          // Checked before the file is made, so an unreachable signer costs no e签宝 file.
          const signer = signerOf(order);
          const fileId = answerField(await call('/v3/files/create-by-doc-template', templateFileRequest(order, config), signal), 'fileId');
          const reply = await call('/v3/sign-flow/create-by-file', signFlowRequest(order, signer, fileId, notifyUrl.toString()), signal);
          return { status: reply.status, responseBody: reply.keptBody, partnerRef: answerField(reply, 'signFlowId') };
        },
      },
      callbacks: {
        verify(request: CallbackRequest) {
          const { headers } = request;
          const signature = headers['x-tsign-open-signature'];
          const timestamp = headers['x-tsign-open-timestamp'];
          const appId = headers['x-tsign-open-app-id'];
          if (!signature || !timestamp || !appId) throw new SignatureError('signature.missing', 'X-Tsign-Open-SIGNATURE, X-Tsign-Open-TIMESTAMP and X-Tsign-Open-App-Id headers are required');
          const algorithm = headers['x-tsign-open-signature-algorithm'];
          if (algorithm !== undefined && algorithm.toLowerCase() !== ALGORITHM) throw new SignatureError('signature.invalid', `unsupported signature algorithm ${algorithm}`);
          if (appId !== config.appId) throw new SignatureError('signature.invalid', 'callback is for another e签宝 app');
          if (!/^\d+$/.test(timestamp)) throw new SignatureError('signature.invalid', 'X-Tsign-Open-TIMESTAMP is not epoch milliseconds');
          if (Math.abs(request.receivedAt - Number(timestamp)) > config.toleranceSeconds * 1000) {
            throw new SignatureError('signature.stale', `X-Tsign-Open-TIMESTAMP is more than ${config.toleranceSeconds}s away from now`);
          }
          if (!sameHex(signature, callbackSignature(config.appSecret, timestamp, request.query, request.rawBody))) {
            throw new SignatureError('signature.invalid', 'X-Tsign-Open-SIGNATURE does not match timestamp, query and body');
          }
        },
        parse: (request: CallbackRequest) => flowEvents(request.rawBody, request.query.orderId, request.receivedAt),
        acknowledgement: { contentType: 'application/json', body: ACK },
      },
    };
  },
} satisfies ConnectorDefinition<typeof esignTsignConfig>;
