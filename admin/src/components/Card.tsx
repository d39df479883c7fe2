/**
 * The white, rounded, shadowed box that every panel, chart and form section of Mosaic's admin sits
 * in, with its optional heading and help line: one place for how a card looks.
 */
import { Box, Typography, type BoxProps } from '@strapi/design-system';
import type { ReactNode } from 'react';

type Props = Omit<BoxProps, 'title' | 'tag'> & {
  /** `section` where the card is a landmark of its own (a slot of the builder). */
  tag?: 'div' | 'section';
  /** The card's heading. */
  title?: ReactNode;
  /** `h2` for a panel of the page, `h3` for a card inside a section that has its own heading. */
  heading?: 'h2' | 'h3';
  /** A line under the heading that says what the card shows or how to use it. */
  help?: ReactNode;
};

export const Card = ({ title, heading = 'h2', help, padding = 4, children, ...box }: Props) => (
  <Box background="neutral0" hasRadius shadow="tableShadow" padding={padding} {...box}>
    {title && (
      <Typography variant="delta" tag={heading}>
        {title}
      </Typography>
    )}
    {help && (
      <Typography tag="p" variant="pi" textColor="neutral600">
        {help}
      </Typography>
    )}
    {children}
  </Box>
);
