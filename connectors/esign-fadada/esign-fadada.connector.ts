import { PermanentPartnerError, TransientPartnerError } from '../../core/errors/partner.error';
import { SignatureError } from '../../core/errors/signature.error';
import type { CallbackRequest, ConnectorDefinition, DeliveryOutcome, DeliveryRequest } from '../connector';
import { postJson, type PartnerReply } from '../shared/http-client';
import { esignFadadaConfig, type EsignFadadaConfig } from './esign-fadada.config';
import { answerField, codeOf, signTaskRequest, taskEvents, TOKEN_INVALID } from './esign-fadada.mapping';
import { fascSign, nonce, sameHex, SIGN_TYPE, SUB_VERSION } from './fasc.signing';

/**
 * 法大大 FASC OpenAPI 5.1 (https://dev.fadada.com): on `order.delivered` a signing task is created
 * from the acceptance template (`POST /sign-task/create-with-template`, form field `bizContent`,
 * signed X-FASC-* headers, an access token from `/service/get-access-token` cached for its
 * lifetime); the signTaskId is the partnerRef. Task events come back as form posts whose
 * X-FASC-Sign is verified by the same recipe over the X-FASC-* headers and the raw `bizContent`,
 * with the X-FASC-Timestamp tolerance; the expected answer is a body containing `success`.
 *
 * 法大大 documents no idempotency key for task creation: an attempt whose answer was lost may leave
 * a task the retry does not know of (README.md says how to find it by transReferenceId).
 */

const ACCEPTED_EVENT = 'order.delivered';
const FORM = 'application/x-www-form-urlencoded; charset=UTF-8';
/** Renew this long before 法大大's stated expiry, so a token never dies mid-request. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;

export const esignFadada = {
  kind: 'esign-fadada',
  summary: 'Creates a 法大大 signing task for the delivery acceptance form (验收单) on order.delivered and reads its task events.',
  config: esignFadadaConfig,
  create(config: EsignFadadaConfig) {
    let token: { value: string; expiresAt: number } | undefined;

    const post = (path: string, extra: Readonly<Record<string, string>>, bizContent: string | undefined, signal: AbortSignal): Promise<PartnerReply> => {
      const timestamp = String(Date.now());
      const headers: Record<string, string> = { 'X-FASC-App-Id': config.appId, 'X-FASC-Sign-Type': SIGN_TYPE, 'X-FASC-Timestamp': timestamp, 'X-FASC-Nonce': nonce(), 'X-FASC-Api-SubVersion': SUB_VERSION, ...extra };
      headers['X-FASC-Sign'] = fascSign({ ...headers, bizContent }, timestamp, config.appSecret);
      const body = bizContent === undefined ? '' : new URLSearchParams({ bizContent }).toString();
      return postJson(`${config.baseUrl.replace(/\/+$/, '')}${path}`, body, { ...headers, 'content-type': FORM }, { timeoutMs: config.timeoutMs, signal });
    };

    const accessToken = async (signal: AbortSignal): Promise<string> => {
      if (token && token.expiresAt > Date.now()) return token.value;
      const reply = await post('/service/get-access-token', { 'X-FASC-Grant-Type': 'client_credential' }, undefined, signal);
      const value = answerField(reply, 'accessToken');
      token = { value, expiresAt: Date.now() + Number(answerField(reply, 'expiresIn')) * 1000 - TOKEN_MARGIN_MS };
      return value;
    };

    return {
      id: config.id,
      kind: 'esign-fadada',
      target: {
        async deliver({ event, order }: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> {
          if (event !== ACCEPTED_EVENT) throw new PermanentPartnerError(`esign-fadada starts acceptance signing on ${ACCEPTED_EVENT} only, not ${event}`);
          const bizContent = signTaskRequest(order, config);
          try {
            const reply = await post('/sign-task/create-with-template', { 'X-FASC-AccessToken': await accessToken(signal) }, bizContent, signal);
            return { status: reply.status, responseBody: reply.keptBody, partnerRef: answerField(reply, 'signTaskId') };
          } catch (err) {
            // A token 法大大 no longer honours is answered 401 + 100002: drop it; the retry fetches a new one.
            if ((err instanceof TransientPartnerError || err instanceof PermanentPartnerError) && codeOf(err.response.body) === TOKEN_INVALID) {
              token = undefined;
              throw new TransientPartnerError('法大大 access token expired; a new one is fetched on retry', err.response);
            }
            throw err;
          }
        },
      },
      callbacks: {
        verify(request: CallbackRequest) {
          const { headers } = request;
          const sign = headers['x-fasc-sign'];
          const timestamp = headers['x-fasc-timestamp'];
          const signed = {
            'X-FASC-App-Id': headers['x-fasc-app-id'],
            'X-FASC-Sign-Type': headers['x-fasc-sign-type'],
            'X-FASC-Timestamp': timestamp,
            'X-FASC-Nonce': headers['x-fasc-nonce'],
            'X-FASC-Event': headers['x-fasc-event'],
            bizContent: new URLSearchParams(request.rawBody.toString('utf8')).get('bizContent') ?? undefined,
          };
          if (!sign || !timestamp || !signed['X-FASC-App-Id'] || !signed['X-FASC-Nonce'] || !signed['X-FASC-Event']) {
            throw new SignatureError('signature.missing', 'X-FASC-Sign, -Timestamp, -App-Id, -Nonce and -Event headers are required');
          }
          if (signed['X-FASC-App-Id'] !== config.appId) throw new SignatureError('signature.invalid', 'callback is for another 法大大 app');
          if (signed['X-FASC-Sign-Type'] !== SIGN_TYPE) throw new SignatureError('signature.invalid', `unsupported X-FASC-Sign-Type ${signed['X-FASC-Sign-Type'] ?? ''}`);
          if (!/^\d+$/.test(timestamp)) throw new SignatureError('signature.invalid', 'X-FASC-Timestamp is not epoch milliseconds');
          if (Math.abs(request.receivedAt - Number(timestamp)) > config.toleranceSeconds * 1000) {
            throw new SignatureError('signature.stale', `X-FASC-Timestamp is more than ${config.toleranceSeconds}s away from now`);
          }
          if (!sameHex(sign, fascSign(signed, timestamp, config.appSecret))) throw new SignatureError('signature.invalid', 'X-FASC-Sign does not match headers and bizContent');
        },
        parse: (request: CallbackRequest) =>
          taskEvents(request.headers['x-fasc-event'] ?? '', new URLSearchParams(request.rawBody.toString('utf8')).get('bizContent'), request.receivedAt),
        acknowledgement: { contentType: 'application/json', body: '{"msg":"success"}' },
      },
    };
  },
} satisfies ConnectorDefinition<typeof esignFadadaConfig>;
