/**
 * Live preview of the asset's saved draft as a simulated reader: persona, forced segments, and a
 * context (country, referrer, UTM, device, time), in any format, with why each candidate was chosen
 * or skipped. HTML from the server is sanitized; it is still shown in a sandboxed frame, without
 * scripts or same-origin access, so nothing in it can act on the admin.
 */
import {
  Box,
  Checkbox,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { useEffect, useState } from 'react';

import type { GetTaxonomy, PreviewReader } from '../../../contracts/admin';
import type { Explain, Format, ResolveAsset } from '../../../contracts/delivery';
import { toFailure, useMosaicApi, type ApiFailure } from '../api/client';
import { useT, type Translate } from '../hooks/useT';
import { Card } from './Card';
import { ToneBadge } from './TagBadges';
import { LoadStatus } from './LoadStatus';

type Resolved = ResolveAsset.Response;

export const skipReason = (t: Translate, reason: string) =>
  ({
    eligible: t('reason.eligible', 'fits this reader'),
    unpublished: t('reason.unpublished', 'not published'),
    'outside-schedule': t('reason.outside-schedule', 'outside its schedule'),
    'persona-mismatch': t('reason.persona-mismatch', 'for another persona'),
    'segment-mismatch': t('reason.segment-mismatch', 'none of its segments matched'),
    'empty-asset': t('reason.empty-asset', 'nested asset is empty'),
    cycle: t('reason.cycle', 'would nest an asset in itself'),
    'too-deep': t('reason.too-deep', 'nested too deep'),
    'not-chosen': t('reason.not-chosen', 'eligible, but another candidate won'),
  })[reason] ?? reason;

interface Props {
  asset: string;
  locale: string | null;
  taxonomy: GetTaxonomy.Response['data'] | null;
  /** Changes when the draft was saved: the preview resolves it again. */
  version: string;
  dirty: boolean;
}

const EMPTY_CONTEXT: NonNullable<PreviewReader['context']> = {};

export const PreviewPanel = ({ asset, locale, taxonomy, version, dirty }: Props) => {
  const t = useT();
  const api = useMosaicApi();
  const [persona, setPersona] = useState('');
  const [segments, setSegments] = useState<string[]>([]);
  const [context, setContext] = useState(EMPTY_CONTEXT);
  const [format, setFormat] = useState<Format>('html');
  const [result, setResult] = useState<{ data: Resolved['data']; explain: Explain } | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const reader: PreviewReader = {
    ...(persona ? { persona } : {}),
    ...(segments.length ? { segments } : {}),
    context,
  };
  const request = JSON.stringify({ asset, locale, format, reader, version });

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      const body = JSON.parse(request);
      api
        .preview({
          asset: body.asset,
          locale: body.locale ?? undefined,
          format: body.format,
          reader: body.reader,
        })
        .then((response) => {
          if (!current) return;
          setResult({
            data: response.data as Resolved['data'],
            explain: response.meta.explain as Explain,
          });
          setFailure(null);
        })
        .catch((error: unknown) => current && setFailure(toFailure(error)));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, request]);

  const setCtx = (change: Partial<NonNullable<PreviewReader['context']>>) =>
    setContext((c) => {
      const next = { ...c, ...change };
      for (const key of Object.keys(next) as Array<keyof typeof next>) {
        if (next[key] === '' || next[key] === undefined) delete next[key];
      }
      return next;
    });
  const setUtm = (key: 'source' | 'medium' | 'campaign', value: string) =>
    setContext((c) => {
      const utm: NonNullable<NonNullable<PreviewReader['context']>['utm']> = { ...(c.utm ?? {}) };
      if (value) utm[key] = value;
      else delete utm[key];
      const next: NonNullable<PreviewReader['context']> = { ...c, utm };
      if (Object.keys(utm).length === 0) delete next.utm;
      return next;
    });

  const html =
    format === 'html' && result
      ? result.data.slots
          .flatMap((slot) =>
            slot.chunks.map((chunk) => (typeof chunk.content === 'string' ? chunk.content : ''))
          )
          .join('\n')
      : '';

  return (
    <Card
      data-testid="preview-panel"
      title={t('preview.title', 'Preview')}
      help={
        dirty
          ? t('preview.dirty', 'Showing the last saved draft: save to preview your changes.')
          : t(
              'preview.help',
              'See the asset as a reader would, drafts included. Change the reader below.'
            )
      }
    >
      <Flex direction="column" gap={3} alignItems="stretch" paddingTop={3}>
        <Flex gap={2} wrap="wrap">
          <Box flex="1" minWidth="140px">
            <Field.Root name="preview-persona">
              <Field.Label>{t('preview.persona', 'Persona')}</Field.Label>
              <SingleSelect
                placeholder={t('preview.persona.none', 'No persona')}
                value={persona}
                onChange={(value) => setPersona(String(value))}
                onClear={() => setPersona('')}
                clearLabel={t('action.clear', 'Clear')}
              >
                {(taxonomy?.personas ?? []).map((p) => (
                  <SingleSelectOption key={p.slug} value={p.slug}>
                    {p.name}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
          <Box flex="1" minWidth="120px">
            <Field.Root name="preview-format">
              <Field.Label>{t('preview.format', 'Format')}</Field.Label>
              <SingleSelect value={format} onChange={(value) => setFormat(value as Format)}>
                {(taxonomy?.formats ?? ['json', 'html', 'markdown', 'text']).map((f) => (
                  <SingleSelectOption key={f} value={f}>
                    {f}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
        </Flex>
        {(taxonomy?.segments.length ?? 0) > 0 && (
          <Box>
            <Typography variant="pi" fontWeight="bold">
              {t('preview.segments', 'Treat as matched')}
            </Typography>
            <Flex gap={3} wrap="wrap">
              {taxonomy?.segments.map((s) => (
                <Checkbox
                  key={s.slug}
                  checked={segments.includes(s.slug)}
                  onCheckedChange={(checked: boolean | 'indeterminate') =>
                    setSegments((list) =>
                      checked === true ? [...list, s.slug] : list.filter((x) => x !== s.slug)
                    )
                  }
                >
                  {s.name}
                </Checkbox>
              ))}
            </Flex>
          </Box>
        )}
        <details>
          <summary style={{ cursor: 'pointer' }}>
            <Typography variant="pi" fontWeight="bold">
              {t('preview.context', 'Simulated context: country, referrer, UTM, device, time')}
            </Typography>
          </summary>
          <Flex gap={2} wrap="wrap" paddingTop={2}>
            {(
              [
                [
                  'country',
                  t('preview.country', 'Country (e.g. DE)'),
                  context.country ?? '',
                  (v: string) => setCtx({ country: v.toUpperCase() }),
                ],
                [
                  'referrer',
                  t('preview.referrer', 'Referrer URL'),
                  context.referrer ?? '',
                  (v: string) => setCtx({ referrer: v }),
                ],
                [
                  'utm-source',
                  t('preview.utm.source', 'UTM source'),
                  context.utm?.source ?? '',
                  (v: string) => setUtm('source', v),
                ],
                [
                  'utm-medium',
                  t('preview.utm.medium', 'UTM medium'),
                  context.utm?.medium ?? '',
                  (v: string) => setUtm('medium', v),
                ],
                [
                  'utm-campaign',
                  t('preview.utm.campaign', 'UTM campaign'),
                  context.utm?.campaign ?? '',
                  (v: string) => setUtm('campaign', v),
                ],
              ] as const
            ).map(([name, label, value, onValue]) => (
              <Box key={name} flex="1" minWidth="140px">
                <Field.Root name={`preview-${name}`}>
                  <Field.Label>{label}</Field.Label>
                  <TextInput value={value} onChange={(e) => onValue(e.target.value)} />
                </Field.Root>
              </Box>
            ))}
            <Box flex="1" minWidth="140px">
              <Field.Root name="preview-device">
                <Field.Label>{t('preview.device', 'Device')}</Field.Label>
                <SingleSelect
                  placeholder={t('preview.device.any', 'Unknown')}
                  value={context.device ?? ''}
                  onChange={(value) => setCtx({ device: value as 'mobile' | 'tablet' | 'desktop' })}
                  onClear={() => setCtx({ device: undefined })}
                  clearLabel={t('action.clear', 'Clear')}
                >
                  {(['mobile', 'tablet', 'desktop'] as const).map((d) => (
                    <SingleSelectOption key={d} value={d}>
                      {t(`device.${d}`, d)}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
              </Field.Root>
            </Box>
            <Box flex="1" minWidth="180px">
              <Field.Root name="preview-time" hint={t('preview.time.hint', 'Empty means now')}>
                <Field.Label>{t('preview.time', 'Date and time')}</Field.Label>
                <TextInput
                  type="datetime-local"
                  value={context.now ? context.now.slice(0, 16) : ''}
                  onChange={(e) =>
                    setCtx({
                      now: e.target.value ? new Date(e.target.value).toISOString() : undefined,
                    })
                  }
                />
                <Field.Hint />
              </Field.Root>
            </Box>
          </Flex>
        </details>

        {failure || !result ? (
          <LoadStatus failure={failure} />
        ) : (
          <Flex direction="column" gap={3} alignItems="stretch" data-testid="preview-result">
            <Flex gap={2} wrap="wrap">
              <Typography variant="pi" textColor="neutral600">
                {t('preview.matched', 'Matched segments:')}
              </Typography>
              {result.explain.segments.filter((s) => s.matched).length === 0 ? (
                <Typography variant="pi">{t('preview.matched.none', 'none')}</Typography>
              ) : (
                result.explain.segments
                  .filter((s) => s.matched)
                  .map((s) => (
                    <ToneBadge key={s.slug} tone="alternative">
                      {s.slug}
                    </ToneBadge>
                  ))
              )}
            </Flex>
            {result.data.slots.map((slot) => {
              const explained = result.explain.slots.find((s) => s.key === slot.key);
              return (
                <Box
                  key={slot.key}
                  padding={3}
                  background="neutral100"
                  hasRadius
                  data-testid={`preview-slot-${slot.key}`}
                >
                  <Typography variant="sigma">{slot.key}</Typography>
                  {slot.chunks.length === 0 ? (
                    <Typography tag="p" textColor="neutral600">
                      {t('preview.slot.empty', 'Nothing fits this reader: the slot is empty.')}
                    </Typography>
                  ) : (
                    slot.chunks.map((chunk) => (
                      <Typography
                        key={chunk.documentId}
                        tag="p"
                        fontWeight="bold"
                        data-testid="preview-chosen"
                      >
                        {chunk.title || chunk.slug}
                      </Typography>
                    ))
                  )}
                  {explained && (
                    <ul style={{ margin: '4px 0 0 16px' }} aria-label={t('preview.why', 'Why')}>
                      {explained.candidates.map((c) => (
                        <li key={`${c.kind}-${c.documentId}`}>
                          <Typography
                            variant="pi"
                            textColor={c.chosen ? 'success600' : 'neutral600'}
                          >
                            {c.chosen ? '✓ ' : '✗ '}
                            {c.slug ?? c.documentId}:{' '}
                            {c.chosen ? t('reason.chosen', 'chosen') : skipReason(t, c.reason)}
                            {c.score !== undefined
                              ? ` (${t('preview.score', 'score')} ${c.score})`
                              : ''}
                          </Typography>
                        </li>
                      ))}
                    </ul>
                  )}
                  {format !== 'html' && (
                    <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12, marginTop: 8 }}>
                      {slot.chunks
                        .map((c) =>
                          typeof c.content === 'string'
                            ? c.content
                            : JSON.stringify(c.content, null, 2)
                        )
                        .join('\n\n')}
                    </pre>
                  )}
                </Box>
              );
            })}
            {format === 'html' && (
              <iframe
                title={t('preview.rendered', 'Rendered HTML')}
                sandbox=""
                srcDoc={`<!doctype html><meta charset="utf-8"><style>body{font-family:sans-serif;font-size:14px;margin:8px}</style>${html}`}
                style={{
                  width: '100%',
                  minHeight: 260,
                  border: '1px solid #dcdce4',
                  borderRadius: 4,
                  background: '#fff',
                }}
              />
            )}
          </Flex>
        )}
      </Flex>
    </Card>
  );
};
