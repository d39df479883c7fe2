/** The plugin page's routes: the asset list, the builder of one asset, and the segments. */
import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

import { useMosaicPermissions } from '../hooks/useMosaicPermissions';
import { AssetListPage } from './AssetListPage';
import { BuilderPage } from './BuilderPage';
import { SegmentsPage } from './SegmentsPage';

const App = () => {
  const { canRead, loading } = useMosaicPermissions();
  if (loading) return <Page.Loading />;
  if (!canRead) return <Page.NoPermissions />;
  return (
    <Routes>
      <Route index element={<AssetListPage />} />
      <Route path="assets/:documentId" element={<BuilderPage />} />
      <Route path="segments" element={<SegmentsPage />} />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  );
};

export default App;
