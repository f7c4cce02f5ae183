#!/bin/bash
# usage: prof.sh main|new warm|ci  -> profile main-thread phases
v=$1; k=$2; W=/work/wt/warmload; [ $v = main ] && d=$W/bench-main/dist || d=$W/dist
cd /dev/shm/warmload/site-$v
if [ $k = warm ]; then echo "Edit $RANDOM." >> content/posts/2012/2012-01-01-post-0.md; else rm -rf public; fi
P=/dev/shm/warmload/prof-$v-$k; rm -rf $P; mkdir -p $P
BROADSHEET_CACHE_DIR=/dev/shm/warmload/cache-$v node --cpu-prof --cpu-prof-interval 200 --cpu-prof-dir $P $d/cli.js build >/dev/null
F=$(ls $P/*.cpuprofile | head -1)
node /work/tools/phases.mjs loadSiteWith,readContentFilesSync,openLoadCaches,validateFiles,checkAcrossFiles,resolve,loadPages,renderSite $F
