/** Entry point of head office's view (built by Vite into src/ui/dist/hq, served by `tanba hq serve`). */
import { render } from 'preact';
import { HqApp } from './app.tsx';
import '../styles.css';
import './hq.css';

const root = document.getElementById('app');
if (!root) throw new Error('hq/index.html has no #app element');
render(<HqApp />, root);
