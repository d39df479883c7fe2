/**
 * Segments: the list of segments and an editor for one. The rule is built as groups of conditions
 * or written as JSON (each view follows the other), checked by the server as it changes, its
 * impossible values flagged with a fix, tried on a sample reader, and sized by the audience
 * estimate before it is saved. A segment can be duplicated, and deleted once nothing targets it.
 */
import {
  Badge,
  Box,
  Button,
  Field,
  Flex,
  Grid,
  Main,
  NumberInput,
  TextButton,
  Textarea,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { BackButton, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useEffect, useMemo, useState } from 'react';
import { useIntl } from 'react-intl';

import type { GetTaxonomy } from '../../../contracts/admin';
import { toFailure, useMosaicApi, type ApiFailure, type AudienceEstimate } from '../api/client';
import { Card } from '../components/Card';
import { NotSaved } from '../components/NotSaved';
import { RuleBuilder } from '../components/RuleBuilder';
import { SampleReader } from '../components/SampleReader';
import { SegmentActions } from '../components/SegmentActions';
import { useLoad } from '../hooks/useLoad';
import { useMosaicPermissions } from '../hooks/useMosaicPermissions';
import { useT } from '../hooks/useT';
import { errorsAt } from '../utils/builder';
import {
  emptyGroup,
  placeRuleError,
  pruneTree,
  ruleToTree,
  treeToRule,
  type RuleGroup,
  type ValueType,
} from '../utils/ruleTree';
import { fieldsOf, sampleFromForm, valueSets, valueWarnings } from '../utils/ruleValues';

type Segment = GetTaxonomy.Response['data']['segments'][number];

const SAMPLE_CONTEXT = JSON.stringify(
  { country: 'DE', device: 'mobile', referrer: 'https://t.co/abc', utm: { source: 'twitter' } },
  null,
  2
);

const SegmentEditor = ({
  segment,
  taxonomy,
  onSaved,
  onDeleted,
}: {
  segment: Segment | null;
  taxonomy: GetTaxonomy.Response['data'];
  onSaved: (documentId: string) => void;
  onDeleted: () => void;
}) => {
  const t = useT();
  const { locale } = useIntl();
  const api = useMosaicApi();
  const { toggleNotification } = useNotification();
  const { canEdit } = useMosaicPermissions();
  const types = useMemo(
    () => Object.fromEntries(taxonomy.contextFields.map((f) => [f.field, f.type as ValueType])),
    [taxonomy.contextFields]
  );
  const sets = useMemo(
    () =>
      valueSets({
        personas: taxonomy.personas,
        locales: taxonomy.locales,
        language: locale,
        devices: {
          mobile: t('rules.device.mobile', 'Mobile'),
          tablet: t('rules.device.tablet', 'Tablet'),
          desktop: t('rules.device.desktop', 'Desktop'),
          bot: t('rules.device.bot', 'Bot (crawler)'),
        },
      }),
    [taxonomy.personas, taxonomy.locales, locale, t]
  );

  const [name, setName] = useState(segment?.name ?? '');
  const [slug, setSlug] = useState(segment?.slug ?? '');
  const [priority, setPriority] = useState<number | undefined>(segment?.priority ?? 0);
  const [rule, setRule] = useState<unknown>(segment?.rule ?? {});
  const [tree, setTree] = useState<RuleGroup | null>(() => ruleToTree(segment?.rule ?? null));
  const [json, setJson] = useState(JSON.stringify(segment?.rule ?? {}, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [check, setCheck] = useState<{
    valid: boolean;
    errors: Array<{ path: string[]; message: string }>;
  } | null>(null);
  const [sample, setSample] = useState(SAMPLE_CONTEXT);
  const [reader, setReader] = useState<Record<string, string>>({});
  const [testResult, setTestResult] = useState<{ matches: boolean } | ApiFailure | null>(null);
  const [audience, setAudience] = useState<AudienceEstimate | ApiFailure | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);

  const fromTree = (next: RuleGroup) => {
    setTree(next);
    const pruned = pruneTree(next);
    const built = pruned ? treeToRule(pruned, types) : {};
    setRule(built);
    setJson(JSON.stringify(built, null, 2));
    setJsonError(null);
  };
  const fromJson = (text: string) => {
    setJson(text);
    try {
      const parsed: unknown = JSON.parse(text);
      setRule(parsed);
      setJsonError(null);
      setTree(ruleToTree(parsed));
    } catch (error) {
      setJsonError(error instanceof Error ? error.message : String(error));
    }
  };

  // The server is the judge of a rule: ask it after each pause in typing.
  const ruleText = JSON.stringify(rule);
  useEffect(() => {
    if (jsonError) return;
    let current = true;
    const timer = setTimeout(() => {
      const parsed: unknown = JSON.parse(ruleText);
      api
        .validateRule(parsed)
        .then((result) => current && setCheck(result))
        .catch(
          (error: unknown) =>
            current &&
            setCheck({ valid: false, errors: [{ path: [], message: toFailure(error).message }] })
        );
      setAudience(null);
      setTestResult(null);
    }, 400);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, ruleText, jsonError]);

  const runTest = async () => {
    try {
      const context = tree
        ? sampleFromForm(
            Object.fromEntries(Object.entries(reader).filter(([field]) => used.includes(field))),
            types
          )
        : (JSON.parse(sample) as Record<string, unknown>);
      setTestResult(await api.testRule({ rule, context }));
    } catch (error) {
      setTestResult(
        error instanceof SyntaxError
          ? {
              status: null,
              message: t(
                'segments.sample.invalid',
                'The sample context is not valid JSON: {error}',
                { error: error.message }
              ),
              errors: [],
              cycle: null,
            }
          : toFailure(error)
      );
    }
  };
  const runAudience = async () => {
    try {
      setAudience(await api.audience(rule));
    } catch (error) {
      setAudience(toFailure(error));
    }
  };
  const save = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const result = await api.saveSegment(segment?.documentId ?? null, {
        name,
        ...(slug ? { slug } : {}),
        priority: priority ?? 0,
        rule,
      });
      toggleNotification({ type: 'success', message: t('segments.saved', 'Segment saved') });
      onSaved(result.documentId);
    } catch (error) {
      setFailure(toFailure(error));
    }
    setBusy(false);
  };

  const ruleErrors = [
    ...(check?.valid === false ? check.errors : []),
    ...(failure?.errors.filter((e) => e.path[0] === 'rule') ?? []),
  ].map(placeRuleError);
  const warnings = tree ? valueWarnings(tree, sets) : [];
  const used = tree ? fieldsOf(tree).filter((field) => field in types) : [];
  const empty =
    !jsonError &&
    typeof rule === 'object' &&
    rule !== null &&
    !Array.isArray(rule) &&
    Object.keys(rule).length === 0;
  // Read from the rule itself: a JSON-only rule (no tree) may count traits too.
  const countsTraits = ruleText.includes('"traits":');
  const isFailure = (value: unknown): value is ApiFailure =>
    typeof value === 'object' && value !== null && 'message' in value;

  return (
    <Flex direction="column" gap={4} alignItems="stretch">
      {segment && (
        <Flex justifyContent="flex-end">
          <SegmentActions
            segment={segment}
            disabled={!canEdit}
            onDuplicated={onSaved}
            onDeleted={onDeleted}
          />
        </Flex>
      )}
      {failure && <NotSaved>{failure.message}</NotSaved>}
      <Card>
        <Grid.Root gap={4}>
          <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
            <Field.Root
              name="segment-name"
              required
              error={errorsAt(failure?.errors ?? [], 'name')[0]}
            >
              <Field.Label>{t('segments.name', 'Name')}</Field.Label>
              <TextInput
                value={name}
                disabled={!canEdit}
                onChange={(e) => setName(e.target.value)}
              />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={4} s={12} direction="column" alignItems="stretch">
            <Field.Root
              name="segment-slug"
              error={errorsAt(failure?.errors ?? [], 'slug')[0]}
              hint={t('segments.slug.hint', 'Made from the name when empty')}
            >
              <Field.Label>{t('segments.slug', 'Slug')}</Field.Label>
              <TextInput
                value={slug}
                disabled={!canEdit}
                onChange={(e) => setSlug(e.target.value)}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
          <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
            <Field.Root
              name="segment-priority"
              error={errorsAt(failure?.errors ?? [], 'priority')[0]}
              hint={t('segments.priority.hint', 'Higher wins in "best" slots')}
            >
              <Field.Label>{t('segments.priority', 'Priority')}</Field.Label>
              <NumberInput value={priority} disabled={!canEdit} onValueChange={setPriority} />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Grid.Item>
        </Grid.Root>
      </Card>

      <Grid.Root gap={4}>
        <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
          <Card width="100%" title={t('segments.rule', 'Who is in this segment')}>
            <Box paddingTop={3}>
              {tree ? (
                <Flex direction="column" alignItems="stretch" gap={3}>
                  {empty && (
                    <Typography textColor="neutral800" data-testid="rule-everyone">
                      {t(
                        'segments.everyone',
                        'No condition yet: this segment matches every reader. Add a condition to narrow it.'
                      )}
                    </Typography>
                  )}
                  <RuleBuilder
                    tree={tree}
                    fields={taxonomy.contextFields}
                    operators={taxonomy.operators}
                    sets={sets}
                    warnings={warnings}
                    disabled={!canEdit}
                    onChange={fromTree}
                  />
                </Flex>
              ) : (
                <Flex direction="column" gap={2} alignItems="flex-start">
                  <Typography textColor="neutral600">
                    {t(
                      'segments.jsonOnly',
                      'This rule uses something the builder cannot show ($not, $event or a nested form). Edit it as JSON, or start again with conditions.'
                    )}
                  </Typography>
                  <TextButton
                    startIcon={<Plus />}
                    disabled={!canEdit}
                    onClick={() => fromTree(emptyGroup())}
                  >
                    {t('segments.restart', 'Start again with conditions')}
                  </TextButton>
                </Flex>
              )}
            </Box>
          </Card>
        </Grid.Item>
        <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
          <Card width="100%">
            <Field.Root
              name="segment-json"
              error={jsonError ?? undefined}
              hint={t(
                'segments.json.hint',
                'Strapi filter syntax, e.g. { "geo": { "country": { "$in": ["DE"] } } }'
              )}
            >
              <Field.Label>{t('segments.json', 'Rule as JSON')}</Field.Label>
              <Textarea
                value={json}
                disabled={!canEdit}
                onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => fromJson(e.target.value)}
                style={{ fontFamily: 'monospace', minHeight: 200 }}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Card>
        </Grid.Item>
      </Grid.Root>

      <Card data-testid="rule-check">
        {check === null ? (
          <Typography textColor="neutral600">
            {t('segments.checking', 'Checking the rule…')}
          </Typography>
        ) : ruleErrors.length === 0 ? (
          <Flex direction="column" alignItems="flex-start" gap={1}>
            <Typography textColor="success600">
              {empty
                ? t('segments.valid.everyone', '✓ The rule is valid: it matches every reader.')
                : t('segments.valid', '✓ The rule is valid.')}
            </Typography>
            {warnings.length > 0 && (
              <Typography textColor="neutral800" data-testid="rule-warnings">
                ⚠{' '}
                {t(
                  'segments.warnings',
                  '{count, plural, one {# value} other {# values}} can never match: see the conditions above.',
                  { count: warnings.length }
                )}
              </Typography>
            )}
          </Flex>
        ) : (
          <Flex direction="column" alignItems="flex-start" gap={1} role="alert">
            <Typography fontWeight="bold" textColor="danger600">
              {t('segments.invalid', 'The rule cannot be saved yet:')}
            </Typography>
            {ruleErrors.map((e) => (
              <Typography key={`${e.where}-${e.message}`} textColor="danger600">
                <code>{e.where}</code> {e.message}
              </Typography>
            ))}
          </Flex>
        )}
      </Card>

      <Grid.Root gap={4}>
        <Grid.Item col={7} s={12} direction="column" alignItems="stretch">
          <Card width="100%">
            {tree ? (
              <Box paddingBottom={1}>
                <Typography tag="h3" variant="delta">
                  {t('segments.sample.form', 'Sample reader')}
                </Typography>
                <Box paddingTop={2}>
                  <SampleReader
                    used={used}
                    fields={taxonomy.contextFields}
                    sets={sets}
                    values={reader}
                    onChange={(next) => {
                      setReader(next);
                      // A result shown for another reader would mislead.
                      setTestResult(null);
                    }}
                  />
                </Box>
              </Box>
            ) : (
              <Field.Root
                name="segment-sample"
                hint={t(
                  'segments.sample.hint',
                  'A reader to try the rule on: country, device, referrer, utm, language, returning…'
                )}
              >
                <Field.Label>{t('segments.sample', 'Sample context')}</Field.Label>
                <Textarea
                  value={sample}
                  onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => {
                    setSample(e.target.value);
                    // A result shown for another sample would mislead.
                    setTestResult(null);
                  }}
                  style={{ fontFamily: 'monospace', minHeight: 120 }}
                />
                <Field.Hint />
              </Field.Root>
            )}
            <Flex gap={3} paddingTop={3}>
              <Button variant="secondary" onClick={runTest} disabled={check?.valid === false}>
                {t('segments.test', 'Test the rule')}
              </Button>
              {testResult &&
                (isFailure(testResult) ? (
                  <Typography textColor="danger600">{testResult.message}</Typography>
                ) : testResult.matches ? (
                  <Badge variant="success" data-testid="test-result">
                    {t('segments.test.match', 'This reader is in the segment')}
                  </Badge>
                ) : (
                  <Badge variant="danger" data-testid="test-result">
                    {t('segments.test.nomatch', 'This reader is not in the segment')}
                  </Badge>
                ))}
            </Flex>
          </Card>
        </Grid.Item>
        <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
          <Card
            width="100%"
            title={t('segments.audience', 'Audience')}
            help={t(
              'segments.audience.help',
              'Counts stored visitor profiles by their traits. Location, device, campaign, time and behaviour are only known when a reader arrives: they cannot be counted in advance.'
            )}
          >
            <Flex gap={3} paddingTop={3}>
              <Button variant="secondary" onClick={runAudience} disabled={check?.valid === false}>
                {t('segments.audience.run', 'Estimate')}
              </Button>
              {audience &&
                (isFailure(audience) ? (
                  <Typography textColor="danger600">{audience.message}</Typography>
                ) : (
                  <Flex direction="column" alignItems="flex-start" gap={1} data-testid="audience">
                    <Typography>
                      {countsTraits
                        ? t(
                            'segments.audience.result',
                            '{exact, select, true {} other {at most }}{matching} of {total} known visitor profiles match its profile-trait conditions.',
                            {
                              matching: audience.matching,
                              total: audience.total,
                              exact: audience.exact,
                            }
                          )
                        : t(
                            'segments.audience.noTraits',
                            'No profile-trait condition to count: any of the {total} known visitor profiles could match.',
                            { total: audience.total }
                          )}
                    </Typography>
                    {!audience.exact && (
                      <Typography variant="pi" textColor="neutral600">
                        {t(
                          'segments.audience.request',
                          'Its request conditions (location, device, campaign, time…) and behaviour are only known when a reader arrives, so they are not counted: the real audience can be smaller.'
                        )}
                      </Typography>
                    )}
                    {audience.total === 0 && (
                      <Typography variant="pi" textColor="neutral600">
                        {t(
                          'segments.audience.none',
                          'There are no visitor profiles yet: a profile is kept for each visitor who consents to tracking.'
                        )}
                      </Typography>
                    )}
                  </Flex>
                ))}
            </Flex>
          </Card>
        </Grid.Item>
      </Grid.Root>

      <Flex justifyContent="flex-end">
        <Button
          onClick={save}
          loading={busy}
          disabled={!canEdit || name.trim() === '' || Boolean(jsonError) || check?.valid === false}
        >
          {t('segments.save', 'Save the segment')}
        </Button>
      </Flex>
    </Flex>
  );
};

export const SegmentsPage = () => {
  const t = useT();
  const api = useMosaicApi();
  const taxonomy = useLoad(api.taxonomy, 'taxonomy');
  const [selected, setSelected] = useState<string | 'new' | null>(null);
  const { canEdit } = useMosaicPermissions();

  if (taxonomy.failure) return <Page.Error />;
  if (!taxonomy.data) return <Page.Loading />;
  const segments = taxonomy.data.segments;
  const current = segments.find((s) => s.documentId === selected) ?? null;

  return (
    <Main>
      <Layouts.Header
        navigationAction={<BackButton />}
        title={t('segments.title', 'Segment rules')}
        subtitle={t(
          'segments.subtitle',
          'Groups of readers, recognized from what their request tells: country, referrer, campaign, device, time, behaviour'
        )}
        primaryAction={
          <Button startIcon={<Plus />} disabled={!canEdit} onClick={() => setSelected('new')}>
            {t('segments.create', 'New segment')}
          </Button>
        }
      />
      <Layouts.Content>
        <Grid.Root gap={4}>
          <Grid.Item col={3} s={12} direction="column" alignItems="stretch">
            <Card padding={3} width="100%">
              {segments.length === 0 ? (
                <Typography textColor="neutral600">
                  {t(
                    'segments.empty',
                    'No segment yet. Create one: for example visitors from Germany, or from a campaign.'
                  )}
                </Typography>
              ) : (
                <Flex
                  direction="column"
                  alignItems="stretch"
                  gap={1}
                  tag="nav"
                  aria-label={t('segments.list', 'Segments')}
                >
                  {segments.map((s) => {
                    const active = s.documentId === selected;
                    return (
                      <Box
                        key={s.documentId}
                        tag="button"
                        type="button"
                        onClick={() => setSelected(s.documentId)}
                        aria-current={active ? 'true' : undefined}
                        padding={2}
                        hasRadius
                        background={active ? 'primary100' : 'neutral0'}
                        style={{ border: 0, textAlign: 'left', cursor: 'pointer', width: '100%' }}
                      >
                        <Typography
                          fontWeight={active ? 'bold' : 'regular'}
                          textColor={active ? 'primary700' : 'neutral800'}
                        >
                          {s.name}
                        </Typography>
                        <Typography tag="p" variant="pi" textColor="neutral600">
                          {s.slug} ·{' '}
                          {t('segments.priority.short', 'priority {priority}', {
                            priority: s.priority,
                          })}
                        </Typography>
                      </Box>
                    );
                  })}
                </Flex>
              )}
            </Card>
          </Grid.Item>
          <Grid.Item col={9} s={12} direction="column" alignItems="stretch">
            {selected === null ? (
              <Card padding={6} width="100%">
                <Typography textColor="neutral600">
                  {t(
                    'segments.pick',
                    'Pick a segment on the left to see and change its rule, or create a new one.'
                  )}
                </Typography>
              </Card>
            ) : (
              <Box width="100%">
                <SegmentEditor
                  key={`${selected}-${current ? 'known' : 'new'}`}
                  segment={current}
                  taxonomy={taxonomy.data}
                  onSaved={(documentId) => {
                    taxonomy.reload();
                    setSelected(documentId);
                  }}
                  onDeleted={() => {
                    taxonomy.reload();
                    setSelected(null);
                  }}
                />
              </Box>
            )}
          </Grid.Item>
        </Grid.Root>
      </Layouts.Content>
    </Main>
  );
};
