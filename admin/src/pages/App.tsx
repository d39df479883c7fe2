/** The plugin page's routes: the asset list, the builder of one asset, the segments, insights. */
import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

import { useMosaicPermissions } from '../hooks/useMosaicPermissions';
import { AssetListPage } from './AssetListPage';
import { BuilderPage } from './BuilderPage';
import { InsightsPage } from './Insights';
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
      <Route path="insights" element={<InsightsPage />} />
      <Route path="insights/:documentId" element={<InsightsPage />} />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  );
};

export default App;
