// The ECharts the Latency Explorer's page loads: only the charts and components it uses, bundled
// by scripts/build-lib.mjs into lib/ui/page/echarts.js. Half the size of echarts.min.js (579 KB
// against 1.1 MB), and the page's load waited mostly on parsing it.
import { init, use } from 'echarts/core';
import { BarChart, ParallelChart } from 'echarts/charts';
import { BrushComponent, GridComponent, ParallelComponent, TitleComponent, ToolboxComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([
  BarChart,
  ParallelChart,
  BrushComponent,
  GridComponent,
  ParallelComponent,
  TitleComponent,
  ToolboxComponent,
  TooltipComponent,
  CanvasRenderer,
]);
window.echarts = { init };
