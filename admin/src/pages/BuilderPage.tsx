/**
 * The assembly builder for one asset: its slots and candidates on the left, the live preview on the
 * right, and tabs for side by side and coverage. Changes stay local until Save (the draft) or
 * Publish; server validation errors land next to the field they are about. Leaving with unsaved
 * changes, by any way out inside the admin, asks first (stay, leave without saving, save and leave).
 */
import {
  Alert,
  Badge,
  Box,
  Button,
  Dialog,
  Field,
  Flex,
  Grid,
  Main,
  Tabs,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Check, Plus } from '@strapi/icons';
import { BackButton, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useEffect, useMemo, useState } from 'react';
import { useBlocker, useParams, useSearchParams } from 'react-router-dom';

import type { EditorAsset, EditorCandidate, EditorSlot } from '../../../contracts/admin';
import { toFailure, useMosaicApi, type ApiFailure } from '../api/client';
import { Card } from '../components/Card';
import { ComparePanel } from '../components/ComparePanel';
import { CoveragePanel } from '../components/CoveragePanel';
import { NotSaved } from '../components/NotSaved';
import { PersonaliseModal } from '../components/PersonaliseModal';
import { PickerModal } from '../components/PickerModal';
import { PreviewPanel } from '../components/PreviewPanel';
import { SlotCard } from '../components/SlotCard';
import { StatusBadge } from '../components/TagBadges';
import { useLoad } from '../hooks/useLoad';
import { useMosaicPermissions } from '../hooks/useMosaicPermissions';
import { useT } from '../hooks/useT';
import {
  addCandidates,
  addSlot,
  diffAsset,
  errorsAt,
  generalErrors,
  hasBlockingHints,
  isDirty,
  moveCandidate,
  moveDefaultLast,
  removeCandidate,
  removeSlot,
  setWeight,
  slotErrors,
  suggestSlot,
  toSaveBody,
  updateSlot,
  validationHints,
  withSlotIds,
  type BuilderSlot,
} from '../utils/builder';

type SlotSpec = { key: string; mode: EditorSlot['mode'] };

export const BuilderPage = () => {
  const t = useT();
  const api = useMosaicApi();
  const { toggleNotification } = useNotification();
  const { documentId = '' } = useParams();
  const [search] = useSearchParams();
  const locale = search.get('locale');
  const { canEdit, canPreview } = useMosaicPermissions();

  const loaded = useLoad(() => api.getAsset(documentId, locale), `${documentId}|${locale}`);
  const taxonomy = useLoad(api.taxonomy, 'taxonomy');
  const [saved, setSaved] = useState<EditorAsset | null>(null);
  const [title, setTitle] = useState('');
  const [slots, setSlots] = useState<BuilderSlot[]>([]);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  // The ids of the slots the last save or publish sent, in order: its errors number them so.
  const [sent, setSent] = useState<string[]>([]);
  const [busy, setBusy] = useState<'save' | 'publish' | null>(null);
  // The slot the picker or "Personalise" is open for: its index, or a slot being added.
  const [picking, setPicking] = useState<number | 'new' | null>(null);
  const [personalising, setPersonalising] = useState<number | SlotSpec | null>(null);
  const [tab, setTab] = useState('assembly');

  /** `saving`: the answer to a save or publish, the slots the page holds, which keep their ids. */
  const adopt = (asset: EditorAsset, saving = false) => {
    setSaved(asset);
    setTitle(asset.title);
    setSlots((previous) => withSlotIds(asset.slots, saving ? previous : []));
  };
  useEffect(() => {
    if (loaded.data) adopt(loaded.data);
  }, [loaded.data]);

  const diff = useMemo(
    () => (saved ? diffAsset(saved, { title, slots }) : null),
    [saved, title, slots]
  );
  const dirty = diff ? isDirty(diff) : false;
  const hints = useMemo(() => validationHints(slots), [slots]);
  const blocked = hasBlockingHints(hints);

  // Leaving for another page of the admin (a link, the Back button, the browser's back) asks first.
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      dirty && currentLocation.pathname !== nextLocation.pathname
  );

  // Leaving the admin (reload, tab closed) with unsaved work asks first: the browser's own prompt.
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  if (loaded.failure) {
    return loaded.failure.status === 404 ? (
      <Page.Error />
    ) : (
      <Main>
        <Layouts.Header
          title={t('builder.error', 'The asset could not be loaded')}
          navigationAction={<BackButton />}
        />
        <Layouts.Content>
          <Alert variant="danger" closeLabel={t('action.close', 'Close')}>
            {loaded.failure.message}
          </Alert>
        </Layouts.Content>
      </Main>
    );
  }
  if (!saved) return <Page.Loading />;

  const save = async (): Promise<EditorAsset | null> => {
    setFailure(null);
    try {
      const asset = await api.saveAsset(saved.documentId, saved.locale, toSaveBody(title, slots));
      adopt(asset, true);
      return asset;
    } catch (error) {
      setFailure(toFailure(error));
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    setSent(slots.map((slot) => slot.id));
    if (await save()) {
      toggleNotification({ type: 'success', message: t('builder.saved', 'Draft saved') });
    }
    setBusy(null);
  };

  /**
   * Side by side and Coverage show the saved draft, so opening one saves the editor's changes as a
   * draft first (readers keep the published version until Publish). When that cannot happen (no
   * permission, a blocking warning, a refused save), the view says it shows the last save.
   */
  const openTab = async (value: string) => {
    if (value !== 'assembly' && dirty && canEdit && !blocked && busy === null) await onSave();
    setTab(value);
  };

  const onPublish = async () => {
    setBusy('publish');
    setSent(slots.map((slot) => slot.id));
    const ready = dirty ? await save() : saved;
    if (ready) {
      try {
        adopt(await api.publishAsset(ready.documentId, ready.locale), true);
        toggleNotification({
          type: 'success',
          message: t('builder.published', 'Published: readers now get this assembly'),
        });
      } catch (error) {
        setFailure(toFailure(error));
      }
    }
    setBusy(null);
  };

  const onSaveAndLeave = async () => {
    setBusy('save');
    setSent(slots.map((slot) => slot.id));
    const ok = await save();
    setBusy(null);
    if (ok && blocker.state === 'blocked') blocker.proceed();
    else if (blocker.state === 'blocked') blocker.reset();
  };

  /** Adds the slot being named, with the candidates chosen for it, in the order they need. */
  const addNewSlot = (spec: SlotSpec, candidates: EditorCandidate[]) =>
    setSlots((s) => {
      const next = addSlot(s, spec.key, spec.mode);
      return candidates.length ? addCandidates(next, next.length - 1, candidates) : next;
    });

  const lastSaveNotice = (what: string) =>
    dirty && (
      <Box padding={3} marginBottom={4} background="warning100" hasRadius data-testid="last-save">
        <Flex gap={3} wrap="wrap" justifyContent="space-between">
          <Typography textColor="neutral800">
            {t(
              'builder.lastSave',
              '{what} shows the last saved draft, not your unsaved changes. Save the draft to see them here.',
              { what }
            )}
          </Typography>
          <Button
            size="S"
            onClick={onSave}
            loading={busy === 'save'}
            disabled={!canEdit || blocked || busy !== null}
          >
            {t('builder.lastSave.save', 'Save draft and show')}
          </Button>
        </Flex>
      </Box>
    );

  const errors = failure?.errors ?? [];
  const banner = failure ? generalErrors(errors, sent.length) : [];
  const version = `${saved.updatedAt}|${saved.status}`;
  const changes = diff
    ? [
        diff.titleChanged && t('builder.diff.title', 'title'),
        diff.addedSlots.length > 0 &&
          t('builder.diff.added', 'added: {keys}', { keys: diff.addedSlots.join(', ') }),
        diff.removedSlots.length > 0 &&
          t('builder.diff.removed', 'removed: {keys}', { keys: diff.removedSlots.join(', ') }),
        diff.changedSlots.length > 0 &&
          t('builder.diff.changed', 'changed: {keys}', { keys: diff.changedSlots.join(', ') }),
        diff.reordered && t('builder.diff.reordered', 'slots reordered'),
      ].filter(Boolean)
    : [];

  return (
    <Main>
      <Layouts.Header
        navigationAction={<BackButton />}
        title={title || saved.slug}
        subtitle={
          <Flex gap={2}>
            <Typography textColor="neutral600">
              {saved.slug}
              {saved.locale ? ` · ${saved.locale}` : ''}
            </Typography>
            <StatusBadge status={saved.status} />
            {dirty && (
              // Dark text on the warning tint: the warning badge's own colours are 4.4:1.
              <Badge
                backgroundColor="warning100"
                textColor="neutral800"
                borderColor="warning600"
                borderStyle="solid"
                borderWidth="1px"
                data-testid="dirty"
              >
                {t('builder.unsaved', 'Unsaved changes')}
              </Badge>
            )}
          </Flex>
        }
        primaryAction={
          <Flex gap={2}>
            <Button
              variant="secondary"
              onClick={onSave}
              loading={busy === 'save'}
              disabled={!canEdit || !dirty || blocked || busy !== null}
            >
              {t('builder.save', 'Save draft')}
            </Button>
            <Button
              startIcon={<Check />}
              onClick={onPublish}
              loading={busy === 'publish'}
              disabled={
                !canEdit || blocked || busy !== null || (!dirty && saved.status === 'published')
              }
            >
              {t('builder.publish', 'Publish')}
            </Button>
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex direction="column" gap={4} alignItems="stretch">
          {!canEdit && (
            <Alert variant="default" closeLabel={t('action.close', 'Close')}>
              {t(
                'builder.readonly',
                'You can look but not change: your role does not allow editing Mosaic assets.'
              )}
            </Alert>
          )}
          {failure?.cycle && (
            <Alert
              variant="danger"
              closeLabel={t('action.close', 'Close')}
              title={t('builder.cycle', 'An asset cannot contain itself')}
              data-testid="cycle-error"
            >
              {t(
                'builder.cycle.path',
                'Nesting these assets makes a loop: {path}. Remove one of the nested assets.',
                {
                  path: failure.cycle.join(' → '),
                }
              )}
            </Alert>
          )}
          {failure && !failure.cycle && (banner.length > 0 || errors.length === 0) && (
            <NotSaved onClose={() => setFailure(null)}>
              {banner.length > 0 ? banner.join(' · ') : failure.message}
            </NotSaved>
          )}
          {failure && !failure.cycle && errors.length > 0 && banner.length === 0 && (
            <NotSaved>
              {t('builder.refused.fields', 'Fix the fields marked in red below, then save again.')}
            </NotSaved>
          )}
          {dirty && changes.length > 0 && (
            <Typography variant="pi" textColor="neutral600">
              {t('builder.diff', 'Since the last save: {changes}', {
                changes: changes.join(' · '),
              })}
            </Typography>
          )}
          <Tabs.Root value={tab} onValueChange={openTab}>
            <Tabs.List aria-label={t('builder.tabs', 'Views of the asset')}>
              <Tabs.Trigger value="assembly">{t('builder.tab.assembly', 'Assembly')}</Tabs.Trigger>
              <Tabs.Trigger value="compare" disabled={!canPreview}>
                {t('builder.tab.compare', 'Side by side')}
              </Tabs.Trigger>
              <Tabs.Trigger value="coverage">{t('builder.tab.coverage', 'Coverage')}</Tabs.Trigger>
            </Tabs.List>
            <Tabs.Content value="assembly">
              <Box paddingTop={4}>
                <Grid.Root gap={4}>
                  <Grid.Item
                    col={canPreview ? 7 : 12}
                    s={12}
                    direction="column"
                    alignItems="stretch"
                  >
                    <Flex direction="column" gap={4} alignItems="stretch">
                      <Card>
                        <Field.Root name="title" error={errorsAt(errors, 'title')[0]}>
                          <Field.Label>{t('builder.title', 'Title')}</Field.Label>
                          <TextInput
                            value={title}
                            disabled={!canEdit}
                            onChange={(e) => setTitle(e.target.value)}
                          />
                          <Field.Error />
                        </Field.Root>
                      </Card>
                      {slots.length === 0 && (
                        <Card padding={6}>
                          <Typography tag="p" fontWeight="bold">
                            {t('builder.empty.title', 'This asset has no slots yet')}
                          </Typography>
                          <Typography tag="p" textColor="neutral600">
                            {t(
                              'builder.empty',
                              'A slot is a place in the asset, such as "hero", "body" or "cta". Add one, then add the chunks it may show.'
                            )}
                          </Typography>
                        </Card>
                      )}
                      {slots.map((slot, index) => (
                        <SlotCard
                          key={slot.id}
                          slot={slot}
                          index={index}
                          errors={slotErrors(errors, sent, slot.id)}
                          hints={hints.filter((h) => h.slot === index)}
                          canEdit={canEdit}
                          onChange={(change) => setSlots((s) => updateSlot(s, index, change))}
                          onRemove={() => setSlots((s) => removeSlot(s, index))}
                          onAddCandidates={() => setPicking(index)}
                          onPersonalise={() => setPersonalising(index)}
                          onMoveDefaultLast={() => setSlots((s) => moveDefaultLast(s, index))}
                          onMoveCandidate={(from, to) =>
                            setSlots((s) => moveCandidate(s, index, from, to))
                          }
                          onRemoveCandidate={(candidate) =>
                            setSlots((s) => removeCandidate(s, index, candidate))
                          }
                          onWeight={(candidate, weight) =>
                            setSlots((s) => setWeight(s, index, candidate, weight))
                          }
                        />
                      ))}
                      <Box>
                        <Button
                          variant="secondary"
                          startIcon={<Plus />}
                          disabled={!canEdit}
                          onClick={() => setPicking('new')}
                        >
                          {t('builder.slot.add', 'Add a slot')}
                        </Button>
                      </Box>
                    </Flex>
                  </Grid.Item>
                  {canPreview && (
                    <Grid.Item col={5} s={12} direction="column" alignItems="stretch">
                      <PreviewPanel
                        asset={saved.documentId}
                        locale={saved.locale}
                        taxonomy={taxonomy.data}
                        version={version}
                        dirty={dirty}
                      />
                    </Grid.Item>
                  )}
                </Grid.Root>
              </Box>
            </Tabs.Content>
            <Tabs.Content value="compare">
              <Box paddingTop={4}>
                {tab === 'compare' && lastSaveNotice(t('builder.tab.compare', 'Side by side'))}
                {tab === 'compare' && (
                  <ComparePanel
                    asset={saved.documentId}
                    locale={saved.locale}
                    taxonomy={taxonomy.data}
                    version={version}
                  />
                )}
              </Box>
            </Tabs.Content>
            <Tabs.Content value="coverage">
              <Box paddingTop={4}>
                {tab === 'coverage' && lastSaveNotice(t('builder.tab.coverage', 'Coverage'))}
                {tab === 'coverage' && (
                  <CoveragePanel
                    documentId={saved.documentId}
                    locale={saved.locale}
                    version={version}
                  />
                )}
              </Box>
            </Tabs.Content>
          </Tabs.Root>
        </Flex>
      </Layouts.Content>
      {picking === 'new' && (
        <PickerModal
          slotKey=""
          newSlot={{ ...suggestSlot(slots), taken: slots.map((slot) => slot.key) }}
          taxonomy={taxonomy.data}
          locale={saved.locale}
          assetDocumentId={saved.documentId}
          existing={[]}
          onClose={() => setPicking(null)}
          onAdd={(candidates, spec) => {
            addNewSlot(spec, candidates);
            setPicking(null);
          }}
          onPersonalise={(spec) => {
            setPicking(null);
            setPersonalising(spec);
          }}
        />
      )}
      {typeof picking === 'number' && slots[picking] && (
        <PickerModal
          slotKey={slots[picking].key}
          taxonomy={taxonomy.data}
          locale={saved.locale}
          assetDocumentId={saved.documentId}
          existing={slots[picking].candidates}
          onClose={() => setPicking(null)}
          onAdd={(candidates: EditorCandidate[]) => {
            setSlots((s) => addCandidates(s, picking, candidates));
            setPicking(null);
          }}
          onPersonalise={() => {
            setPicking(null);
            setPersonalising(picking);
          }}
        />
      )}
      {personalising !== null && (typeof personalising !== 'number' || slots[personalising]) && (
        <PersonaliseModal
          slotKey={typeof personalising === 'number' ? slots[personalising].key : personalising.key}
          taxonomy={taxonomy.data}
          locale={saved.locale}
          existing={typeof personalising === 'number' ? slots[personalising].candidates : []}
          onClose={() => setPersonalising(null)}
          onApply={(candidates) => {
            if (typeof personalising === 'number') {
              setSlots((s) =>
                updateSlot(
                  s.map((slot, i) => (i === personalising ? { ...slot, candidates } : slot)),
                  personalising,
                  { mode: 'first' }
                )
              );
            } else {
              setSlots((s) => {
                const next = addSlot(s, personalising.key, 'first');
                return next.map((slot, i) =>
                  i === next.length - 1 ? { ...slot, candidates } : slot
                );
              });
            }
            setPersonalising(null);
          }}
        />
      )}
      <Dialog.Root
        open={blocker.state === 'blocked'}
        onOpenChange={(open: boolean) => {
          if (!open && blocker.state === 'blocked' && busy === null) blocker.reset();
        }}
      >
        <Dialog.Content>
          <Dialog.Header>{t('builder.leave.title', 'Leave with unsaved changes?')}</Dialog.Header>
          <Dialog.Body>
            <Typography>
              {t(
                'builder.leave.body',
                'Your changes to this asset are not saved ({changes}). Leaving drops them.',
                { changes: changes.join(' · ') || t('builder.unsaved', 'Unsaved changes') }
              )}
            </Typography>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('builder.leave.stay', 'Stay')}</Button>
            </Dialog.Cancel>
            <Flex gap={2}>
              <Button
                variant="danger"
                onClick={() => blocker.state === 'blocked' && blocker.proceed()}
              >
                {t('builder.leave.discard', 'Leave without saving')}
              </Button>
              <Button
                onClick={onSaveAndLeave}
                loading={busy === 'save'}
                disabled={!canEdit || blocked || busy !== null}
              >
                {t('builder.leave.save', 'Save and leave')}
              </Button>
            </Flex>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Main>
  );
};
