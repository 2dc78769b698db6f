"""ftzsafety — safety-production supervision information system for a Free Trade Zone."""
