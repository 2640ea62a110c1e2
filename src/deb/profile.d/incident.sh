export INCIDENT_DIR=/srv/incidents
