-- Issue 14: the built-in technician role of ISPs created before TR-069 may see and reboot client routers
-- (built-in roles cannot be edited, so their permissions are still exactly what they were created with).
UPDATE roles SET permissions = replace(permissions, '"sessions.read"]', '"sessions.read","cpes.read","cpes.manage"]')
 WHERE is_built_in = 1 AND name = 'technician' AND tenant_id IS NOT NULL AND permissions NOT LIKE '%cpes.read%';
