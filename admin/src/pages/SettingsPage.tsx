/** Settings → Mosaic: delivery and privacy options, stored in the plugin store over the config file. */
import {
  Button,
  Field,
  Flex,
  Grid,
  Main,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Toggle,
} from '@strapi/design-system';
import { Check } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useEffect, useState, type ReactNode } from 'react';

import type { MosaicSettings } from '../../../contracts/admin';
import { toFailure, useMosaicApi, type ApiFailure } from '../api/client';
import { Card } from '../components/Card';
import { NotSaved } from '../components/NotSaved';
import { useLoad } from '../hooks/useLoad';
import { useMosaicPermissions } from '../hooks/useMosaicPermissions';
import { useT } from '../hooks/useT';
import { errorsAt } from '../utils/builder';

/** Checks made before asking the server, which checks again. */
export function settingsProblems(
  settings: MosaicSettings
): Array<{ path: string[]; code: string }> {
  const problems: Array<{ path: string[]; code: string }> = [];
  if (!Number.isInteger(settings.cacheMaxAge) || settings.cacheMaxAge < 0) {
    problems.push({ path: ['cacheMaxAge'], code: 'cacheMaxAge' });
  }
  if (!Number.isInteger(settings.retentionDays) || settings.retentionDays < 1) {
    problems.push({ path: ['retentionDays'], code: 'retentionDays' });
  }
  for (const key of ['country', 'region', 'city'] as const) {
    const header = settings.geoHeaders[key];
    if (header && !/^[A-Za-z0-9-]+$/.test(header))
      problems.push({ path: ['geoHeaders', key], code: 'header' });
  }
  return problems;
}

/** One setting in a card's grid: its label, the control, a hint and the error when there is one. */
const Setting = ({
  name,
  label,
  hint,
  error,
  col = 6,
  children,
}: {
  name: string;
  label: string;
  hint: string;
  error?: string;
  col?: number;
  children: ReactNode;
}) => (
  <Grid.Item col={col} s={12} direction="column" alignItems="stretch">
    <Field.Root name={name} error={error} hint={hint}>
      <Field.Label>{label}</Field.Label>
      {children}
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  </Grid.Item>
);

const SettingsPage = () => {
  const t = useT();
  const api = useMosaicApi();
  const { toggleNotification } = useNotification();
  const { canSettings, loading } = useMosaicPermissions();
  const loaded = useLoad(canSettings ? api.getSettings : null, String(canSettings));
  const [settings, setSettings] = useState<MosaicSettings | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (loaded.data) setSettings(loaded.data);
  }, [loaded.data]);

  if (loading) return <Page.Loading />;
  if (!canSettings) return <Page.NoPermissions />;
  if (loaded.failure) return <Page.Error />;
  if (!settings) return <Page.Loading />;

  const local = settingsProblems(settings);
  const messages: Record<string, string> = {
    cacheMaxAge: t('settings.error.cacheMaxAge', 'Enter a whole number of seconds, 0 or more.'),
    retentionDays: t('settings.error.retentionDays', 'Enter a whole number of days, at least 1.'),
    header: t(
      'settings.error.header',
      'A header name has only letters, digits and dashes, e.g. cf-ipcountry.'
    ),
  };
  const errorFor = (...path: string[]): string | undefined => {
    const problem = local.find((p) => p.path.join('.') === path.join('.'));
    return errorsAt(failure?.errors ?? [], ...path)[0] ?? (problem && messages[problem.code]);
  };

  const save = async () => {
    setBusy(true);
    setFailure(null);
    try {
      setSettings(await api.saveSettings(settings));
      toggleNotification({ type: 'success', message: t('settings.saved', 'Settings saved') });
    } catch (error) {
      setFailure(toFailure(error));
    }
    setBusy(false);
  };
  const set = (change: Partial<MosaicSettings>) => setSettings({ ...settings, ...change });
  const setHeader = (key: 'country' | 'region' | 'city', value: string) => {
    const geoHeaders = { ...settings.geoHeaders, [key]: value || undefined };
    if (!value) delete geoHeaders[key];
    set({ geoHeaders });
  };

  return (
    <Main>
      <Layouts.Header
        title={t('settings.title', 'Mosaic')}
        subtitle={t('settings.subtitle', 'How Mosaic delivers content and treats visitor data')}
        primaryAction={
          <Button startIcon={<Check />} onClick={save} loading={busy} disabled={local.length > 0}>
            {t('action.save', 'Save')}
          </Button>
        }
      />
      <Layouts.Content>
        <Flex direction="column" gap={4} alignItems="stretch">
          {failure && <NotSaved>{failure.message}</NotSaved>}
          <Card padding={6} title={t('settings.delivery', 'Delivery')}>
            <Grid.Root gap={5} paddingTop={4}>
              <Setting
                name="allowPersonaParam"
                label={t('settings.allowPersonaParam', 'Persona from the URL')}
                hint={t(
                  'settings.allowPersonaParam.hint',
                  'Lets a frontend ask for a persona with ?persona=developer.'
                )}
              >
                <Toggle
                  onLabel={t('settings.on', 'Allowed')}
                  offLabel={t('settings.off', 'Refused')}
                  checked={settings.allowPersonaParam}
                  onChange={(e) => set({ allowPersonaParam: e.target.checked })}
                />
              </Setting>
              <Setting
                name="cacheMaxAge"
                label={t('settings.cacheMaxAge', 'Cache lifetime (seconds)')}
                hint={t(
                  'settings.cacheMaxAge.hint',
                  'Seconds browsers and CDNs may keep a public answer.'
                )}
                error={errorFor('cacheMaxAge')}
              >
                <NumberInput
                  value={settings.cacheMaxAge}
                  onValueChange={(v) => set({ cacheMaxAge: v ?? NaN })}
                />
              </Setting>
              {(['country', 'region', 'city'] as const).map((key) => (
                <Setting
                  key={key}
                  col={4}
                  name={`geo-${key}`}
                  label={t(`settings.geo.${key}`, `Header with the ${key}`)}
                  hint={t('settings.geo.hint', 'Trusted header set by your CDN; empty to ignore.')}
                  error={errorFor('geoHeaders', key)}
                >
                  <TextInput
                    value={settings.geoHeaders[key] ?? ''}
                    onChange={(e) => setHeader(key, e.target.value)}
                  />
                </Setting>
              ))}
            </Grid.Root>
          </Card>
          <Card padding={6} title={t('settings.privacy', 'Privacy')}>
            <Grid.Root gap={5} paddingTop={4}>
              <Setting
                name="consent"
                label={t('settings.consent', 'Consent')}
                hint={t(
                  'settings.consent.hint',
                  'Required: nothing is remembered about a visitor until they consent.'
                )}
                error={errorFor('consent')}
              >
                <SingleSelect
                  value={settings.consent}
                  onChange={(v) => set({ consent: v as MosaicSettings['consent'] })}
                >
                  <SingleSelectOption value="required">
                    {t('settings.consent.required', 'Required')}
                  </SingleSelectOption>
                  <SingleSelectOption value="implied">
                    {t('settings.consent.implied', 'Implied')}
                  </SingleSelectOption>
                </SingleSelect>
              </Setting>
              <Setting
                name="retentionDays"
                label={t('settings.retentionDays', 'Profile retention (days)')}
                hint={t(
                  'settings.retentionDays.hint',
                  'Visitor profiles and events older than this are deleted.'
                )}
                error={errorFor('retentionDays')}
              >
                <NumberInput
                  value={settings.retentionDays}
                  onValueChange={(v) => set({ retentionDays: v ?? NaN })}
                />
              </Setting>
            </Grid.Root>
          </Card>
        </Flex>
      </Layouts.Content>
    </Main>
  );
};

export default SettingsPage;
