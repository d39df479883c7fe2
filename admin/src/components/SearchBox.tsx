/** The search field of the asset list and the picker: its label is also its placeholder. */
import { Searchbar } from '@strapi/design-system';

import { useT } from '../hooks/useT';

interface Props {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}

export const SearchBox = ({ name, label, value, onChange }: Props) => {
  const t = useT();
  return (
    <Searchbar
      name={name}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onClear={() => onChange('')}
      clearLabel={t('action.clear', 'Clear')}
      placeholder={label}
    >
      {label}
    </Searchbar>
  );
};
