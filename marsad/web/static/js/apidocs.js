/* Swagger UI (vendored from the npm registry) over /api/openapi.json; a static file because the CSP forbids inline scripts. */
window.addEventListener("load", function () {
  "use strict";
  window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
