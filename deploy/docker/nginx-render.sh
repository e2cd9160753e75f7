#!/bin/sh
# Run by the nginx image's entrypoint before nginx starts: render /etc/nginx/nginx.conf from the environment.
set -eu
sh /etc/clinic-nginx/render.sh /etc/nginx/nginx.conf /etc/clinic-nginx/clinic.conf.template
nginx -t -q
