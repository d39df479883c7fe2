import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

import { HomePage } from './HomePage';
import { InsightsPage } from './Insights';

const App = () => (
  <Routes>
    <Route index element={<HomePage />} />
    <Route path="insights" element={<InsightsPage />} />
    <Route path="insights/:documentId" element={<InsightsPage />} />
    <Route path="*" element={<Page.Error />} />
  </Routes>
);

export default App;
