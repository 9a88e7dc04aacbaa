import "katex/dist/katex.min.css";
import "./view.css";
