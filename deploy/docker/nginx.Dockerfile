# syntax=docker/dockerfile:1
# nginx in front of the assistant: the widget, the webhooks routed by conversation, the action gateway.
#   docker build -f deploy/docker/nginx.Dockerfile -t clinic-nginx .
# The configuration is rendered at start from the environment (deploy/nginx/render.sh; see .env.example).
FROM nginx:1.27-alpine
COPY widget/widget.js widget/demo.html /usr/share/clinic-widget/
COPY deploy/nginx/clinic.conf.template deploy/nginx/render.sh /etc/clinic-nginx/
COPY deploy/docker/nginx-render.sh /docker-entrypoint.d/40-clinic-render.sh
RUN chmod 0755 /docker-entrypoint.d/40-clinic-render.sh /etc/clinic-nginx/render.sh
ENV WIDGET_DIR=/usr/share/clinic-widget \
    NGINX_RUN_DIR=/var/cache/nginx/clinic \
    NGINX_ACCESS_LOG=/dev/stdout \
    NGINX_ACTIONS_ACCESS_LOG=/dev/stdout \
    NGINX_ERROR_LOG=/dev/stderr \
    NGINX_LISTEN=8080 \
    ACTION_GATEWAY_LISTEN=5150
EXPOSE 8080 5150
HEALTHCHECK --interval=15s --timeout=3s --retries=3 CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
