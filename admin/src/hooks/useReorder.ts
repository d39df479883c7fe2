/**
 * Reordering a list by native drag and drop or from the keyboard: focus a row's handle, Space (or
 * Enter) to lift it, the arrow keys to move it, Space again to drop; Escape puts it down. Each move
 * is announced to screen readers. The list itself stays with the caller, which gets `onMove(from,
 * to)`; this hook only holds what the gesture needs in between.
 */
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';

import { useT } from './useT';

interface Options<T> {
  items: readonly T[];
  /** A stable key per item: the handle that moved gets the focus back after the re-render. */
  keyOf: (item: T) => string;
  /** How an item is named in the announcements. */
  labelOf: (item: T) => string;
  onMove: (from: number, to: number) => void;
  disabled?: boolean;
}

/** Where a row stands in the gesture under way, for how it looks. */
export interface RowState {
  /** Lifted from the keyboard. */
  lifted: boolean;
  /** Being dragged by the mouse. */
  dragged: boolean;
  /** Where the dragged row would drop now. */
  target: boolean;
}

export function useReorder<T>({ items, keyOf, labelOf, onMove, disabled = false }: Options<T>) {
  const t = useT();
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [lifted, setLifted] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const handles = useRef(new Map<string, HTMLButtonElement>());
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const count = items.length;
  const label = (i: number) => (items[i] === undefined ? '' : labelOf(items[i]));

  // A moved row is re-inserted in the DOM, which drops the focus: give it back to its handle.
  useEffect(() => {
    if (focusKey) handles.current.get(focusKey)?.focus();
  }, [focusKey, items]);

  const moveBy = (from: number, delta: number) => {
    const to = from + delta;
    if (to < 0 || to >= count) return;
    setFocusKey(keyOf(items[from]));
    onMove(from, to);
    setAnnouncement(
      t('builder.reorder.moved', '{title} moved to position {position} of {count}', {
        title: label(from),
        position: to + 1,
        count,
      })
    );
    return to;
  };

  const onHandleKey = (event: KeyboardEvent, i: number) => {
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      setLifted(lifted === i ? null : i);
      setAnnouncement(
        lifted === i
          ? t('builder.reorder.dropped', '{title} dropped', { title: label(i) })
          : t(
              'builder.reorder.lifted',
              '{title} lifted: use the arrow keys to move it, Space to drop',
              { title: label(i) }
            )
      );
    } else if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && lifted === i) {
      event.preventDefault();
      const to = moveBy(i, event.key === 'ArrowUp' ? -1 : 1);
      if (to !== undefined) setLifted(to);
    } else if (event.key === 'Escape') {
      setLifted(null);
    }
  };

  const endDrag = () => {
    setDragFrom(null);
    setDropAt(null);
  };

  /** Props for the row element (an `<li>`): it is what is dragged and dropped on. */
  const dragProps = (i: number) => ({
    draggable: !disabled,
    onDragStart: (event: DragEvent) => {
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', String(i));
      setDragFrom(i);
    },
    onDragOver: (event: DragEvent) => {
      if (dragFrom === null) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      setDropAt(i);
    },
    onDrop: (event: DragEvent) => {
      event.preventDefault();
      if (dragFrom !== null) onMove(dragFrom, i);
      endDrag();
    },
    onDragEnd: endDrag,
  });

  /** Props for the row's handle (a `<button>`): the keyboard's way in. */
  const handleProps = (i: number) => {
    const key = keyOf(items[i]);
    return {
      ref: (node: HTMLButtonElement | null) => {
        if (node) handles.current.set(key, node);
        else handles.current.delete(key);
      },
      disabled,
      'aria-pressed': lifted === i,
      onKeyDown: (event: KeyboardEvent) => onHandleKey(event, i),
      onBlur: () => setLifted((current) => (current === i ? null : current)),
    };
  };

  /** All that row `i` needs: how it looks, its element's and its handle's props, its moves. */
  const rowOf = (i: number) => ({
    state: { lifted: lifted === i, dragged: dragFrom === i, target: dropAt === i } as RowState,
    row: dragProps(i),
    handle: handleProps(i),
    moveBy: (delta: number) => void moveBy(i, delta),
  });

  return { announcement, rowOf };
}

export type ReorderRow = ReturnType<ReturnType<typeof useReorder>['rowOf']>;
