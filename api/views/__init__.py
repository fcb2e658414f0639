"""The API's views: reads (``reads``), writes through the pages' forms and services
(``writes``), documents (``documents``) and the personal-token page (``tokens``)."""
